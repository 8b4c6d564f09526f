package dev.rwkvedge.compress;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.rwkvedge.compress.embedding.EmbeddingCacheSettings;
import dev.rwkvedge.compress.head.ClusteredHeadSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rwkvedge.compress.quant.Precision;
import dev.rwkvedge.compress.sparse.PredictorKind;
import java.util.List;
import java.util.Map;

/**
 * What to do to a model, per technique; a section left out (null) means the technique is off. The studio edits one,
 * the CLI applies one, an exported model carries the one it was made with.
 *
 * @param generation the generation this recipe was written for ("7", "5.2", ...); checked when applied, optional
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Recipe(String generation, LowRank lowRank, SparseFfn sparseFfn, ClusteredHeadSettings head,
                     EmbeddingCacheSettings embedding, Int8 int8, Quantization precision, Calibration calibration) {

    /** A recipe without a precision section (the form before per-matrix precision existed). */
    public Recipe(String generation, LowRank lowRank, SparseFfn sparseFfn, ClusteredHeadSettings head,
                  EmbeddingCacheSettings embedding, Int8 int8, Calibration calibration) {
        this(generation, lowRank, sparseFfn, head, embedding, int8, null, calibration);
    }

    public static final String FILE_FORMAT = "rwkv-edge-recipe/1";

    /**
     * @param method    plain SVD (the paper) or whitened (activation-aware, SVD-LLM); absent: svd
     * @param matrices  projection names within a block ("att.key", "ffn.receptance", ...); null = the generation's default
     * @param rule      how ranks are chosen
     * @param overrides fixed ranks for single matrices by full name ("blocks.3.att.key")
     * @param ridge     whitened only: added to the Gram diagonal, relative to its mean (default 1e-4)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LowRank(LowRankMethod method, List<String> matrices, RankRule rule, Map<String, Integer> overrides,
                          Double ridge) {
        public boolean whitened() {
            return method == LowRankMethod.WHITENED;
        }

        public double ridgeOrDefault() {
            return ridge != null ? ridge : 1e-4;
        }
    }

    /**
     * @param predictor  mlp, 1bit or both (OR of the two masks); absent: mlp
     * @param threshold  MLP: a neuron is predicted active when its sigmoid output exceeds this
     * @param layerThresholds per-layer overrides by layer index
     * @param mlpWidth   hidden width of the MLP predictor
     * @param oneBitSparsity 1-bit: the fraction p of neurons called inactive (the top 1-p scores are active)
     * @param samples    calibration samples per layer used for training
     * @param cacheNeurons neuron bundles each layer keeps cached (absent: all); the rest are read when predicted
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SparseFfn(PredictorKind predictor, Double threshold, Map<String, Double> layerThresholds, Integer mlpWidth,
                            Double oneBitSparsity, Integer samples, Integer cacheNeurons) {
        public SparseFfn(PredictorKind predictor, Double threshold, Map<String, Double> layerThresholds,
                         Integer mlpWidth, Double oneBitSparsity, Integer samples) {
            this(predictor, threshold, layerThresholds, mlpWidth, oneBitSparsity, samples, null);
        }
    }

    /** @param enabled absent means on (the section's presence asks for it); @param scheme "row": one scale per row */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Int8(Boolean enabled, String scheme) {
        public boolean on() {
            return enabled == null || enabled;
        }
    }

    /**
     * How the block matrices left after the other techniques are stored (low-rank factors included).
     *
     * @param fallback      every matrix not overridden ("default" in JSON)
     * @param overrides     by full name ("blocks.0.att.key") or by name within every block ("ffn.value"); the full
     *                      name wins
     * @param errorFeedback try GPTQ's error feedback where calibration text gives the inputs' Gram matrix, keeping it
     *                      per matrix only where it lowers the output error on that text (default true)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Quantization(@JsonProperty("default") Precision fallback, Map<String, Precision> overrides,
                               Boolean errorFeedback) {
        public Precision of(String fullName) {
            if (overrides != null) {
                Precision p = overrides.get(fullName);
                if (p != null) return p;
                p = overrides.get(fullName.substring(fullName.indexOf('.', 7) + 1));
                if (p != null) return p;
            }
            return fallback != null ? fallback : Precision.FP32;
        }

        public boolean feedback() {
            return errorFeedback == null || errorFeedback;
        }
    }

    /**
     * @param file   calibration text (default: the sample model's calibration.txt, see {@link
     *               dev.rwkvedge.compress.Calibration#DEFAULT_TOKENS})
     * @param tokens how many of its tokens to use (default {@link dev.rwkvedge.compress.Calibration#DEFAULT_TOKENS})
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Calibration(String file, Integer tokens) {}

    /** The paper's recipe: low rank D/8 on its matrices, nothing else. */
    public static Recipe paperLowRank() {
        return new Recipe(null, new LowRank(LowRankMethod.SVD, null, RankRule.ratio(0.125), null, null), null, null,
                null, null, null);
    }

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public static Recipe parse(String json, String source) throws RecipeException {
        try {
            Recipe r = MAPPER.readValue(json, Recipe.class);
            if (r == null) throw new RecipeException(source + ": empty recipe");
            r.validate(source);
            return r;
        } catch (UnrecognizedPropertyException e) {
            throw new RecipeException(source + ": unknown key '" + e.getPropertyName() + "' at " + path(e)
                    + " (known: " + e.getKnownPropertyIds() + ")");
        } catch (ValueInstantiationException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new RecipeException(source + ": invalid " + path(e) + ": " + abbreviated(c.getMessage()));
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            throw new RecipeException(source + ": invalid " + path(e) + ": " + abbreviated(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new RecipeException(source + ": malformed recipe: " + abbreviated(e.getOriginalMessage())
                    + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() : ""));
        }
    }

    public static Recipe read(Path file) throws IOException {
        return parse(Files.readString(file), file.toString());
    }

    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviated(String s) {
        String one = String.valueOf(s).replaceAll("\\s+", " ");
        return one.length() > 200 ? one.substring(0, 197) + "..." : one;
    }

    private static String path(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m) {
            StringBuilder sb = new StringBuilder();
            for (var ref : m.getPath()) {
                if (ref.getFieldName() != null) sb.append(sb.isEmpty() ? "" : ".").append(ref.getFieldName());
            }
            return sb.isEmpty() ? "top level" : sb.toString();
        }
        return "?";
    }

    /** Whether applying it reads calibration text. */
    public boolean needsCalibration() {
        return (lowRank != null && lowRank.whitened()) || sparseFfn != null || head != null
                || precision != null && precision.feedback();
    }

    /** This recipe with another low-rank section. */
    public Recipe withLowRank(LowRank l) {
        return new Recipe(generation, l, sparseFfn, head, embedding, int8, precision, calibration);
    }

    /** Checks every field's range (what can be checked without a model); the message names the field and range. */
    public void validate(String source) throws RecipeException {
        RecipeChecks c = new RecipeChecks(source);
        if (generation != null) c.generation(generation);
        if (lowRank != null) {
            if (lowRank.rule() == null) throw c.fail("lowRank.rule is required (ratio, energy, budget or fixed)");
            switch (lowRank.rule()) {
                case RankRule.Ratio r -> c.range("lowRank.rule.ratio", r.value(), 0, false, 1, true);
                case RankRule.Energy e -> c.range("lowRank.rule.energy", e.value(), 0, false, 1, true);
                case RankRule.Budget b -> c.range("lowRank.rule.budget", b.value(), 0, false, 1, true);
                case RankRule.Fixed f -> c.atLeast("lowRank.rule.fixed", f.rank(), 1);
            }
            if (lowRank.matrices() != null) {
                if (lowRank.matrices().isEmpty()) throw c.fail("lowRank.matrices is empty (leave it out for the default)");
                for (String m : lowRank.matrices()) if (m == null || m.isBlank()) throw c.fail("lowRank.matrices holds an empty name");
            }
            if (lowRank.overrides() != null) {
                for (var e : lowRank.overrides().entrySet()) {
                    if (e.getValue() == null || e.getValue() < 1) {
                        throw c.fail("impossible rank " + e.getValue() + " for " + e.getKey()
                                + " in lowRank.overrides (at least 1)");
                    }
                }
            }
            if (lowRank.ridge() != null) c.range("lowRank.ridge", lowRank.ridge(), 0, true, 1, true);
        }
        if (sparseFfn != null) {
            if (sparseFfn.threshold() != null) c.range("sparseFfn.threshold", sparseFfn.threshold(), 0, true, 1, true);
            if (sparseFfn.layerThresholds() != null) {
                for (var e : sparseFfn.layerThresholds().entrySet()) {
                    if (e.getValue() == null) throw c.fail("sparseFfn.layerThresholds." + e.getKey() + " is null");
                    c.range("sparseFfn.layerThresholds." + e.getKey(), e.getValue(), 0, true, 1, true);
                }
            }
            if (sparseFfn.oneBitSparsity() != null) {
                c.range("sparseFfn.oneBitSparsity", sparseFfn.oneBitSparsity(), 0, true, 1, false);
            }
            if (sparseFfn.mlpWidth() != null) c.between("sparseFfn.mlpWidth", sparseFfn.mlpWidth(), 1, 65_536);
            if (sparseFfn.samples() != null) c.between("sparseFfn.samples", sparseFfn.samples(), 1, 10_000_000);
            if (sparseFfn.cacheNeurons() != null) c.between("sparseFfn.cacheNeurons", sparseFfn.cacheNeurons(), 1, 1 << 24);
        }
        if (head != null) {
            c.between("head.clusters", head.clusters(), 2, 1 << 24);
            c.range("head.coverage", head.coverage(), 0, false, 1, true);
            c.between("head.minClusters", head.minClusters(), 1, head.clusters());
            c.between("head.kmeansIterations", head.kmeansIterations(), 1, 100_000);
            c.between("head.epochs", head.epochs(), 1, 100_000);
            c.between("head.batchSize", head.batchSize(), 1, 1 << 20);
            c.range("head.learningRate", head.learningRate(), 0, false, 10, true);
        }
        if (embedding != null) c.between("embedding.cacheRows", embedding.cacheRows(), 1, 1 << 24);
        if (int8 != null && int8.scheme() != null && !int8.scheme().equals("row")) {
            throw c.fail("int8.scheme must be \"row\", not \"" + int8.scheme() + "\"");
        }
        if (precision != null && precision.overrides() != null) {
            for (var e : precision.overrides().entrySet()) {
                if (e.getValue() == null) throw c.fail("precision.overrides." + e.getKey() + " is null");
            }
        }
        if (calibration != null) {
            if (calibration.file() != null && calibration.file().isBlank()) throw c.fail("calibration.file is empty");
            if (calibration.tokens() != null) c.between("calibration.tokens", calibration.tokens(), 2, 100_000_000);
        }
    }

    /** A recipe that cannot be parsed or applied; the message names the source and the problem. */
    public static final class RecipeException extends IOException {
        public RecipeException(String message) {
            super(message);
        }
    }
}
