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
     * @param method    "svd" (plain, as the paper) or "whitened" (activation-aware, SVD-LLM)
     * @param matrices  projection names within a block ("att.key", "ffn.receptance", ...); null = the generation's default
     * @param rule      how ranks are chosen
     * @param overrides fixed ranks for single matrices by full name ("blocks.3.att.key")
     * @param ridge     whitened only: added to the Gram diagonal, relative to its mean (default 1e-4)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LowRank(String method, List<String> matrices, RankRule rule, Map<String, Integer> overrides,
                          Double ridge) {}

    /**
     * Exactly one field set. ratio: rank = ratio * min(out, in) (the paper's D/8 is 0.125); energy: the smallest rank
     * keeping this share of the squared singular values; budget: keep this share of the selected matrices'
     * parameters, spread across matrices by truncation loss; fixed: one rank for all.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RankRule(Double ratio, Double energy, Double budget, Integer fixed) {}

    /**
     * @param predictor  "mlp", "1bit" or "both" (OR of the two masks)
     * @param threshold  MLP: a neuron is predicted active when its sigmoid output exceeds this
     * @param layerThresholds per-layer overrides by layer index
     * @param mlpWidth   hidden width of the MLP predictor
     * @param oneBitSparsity 1-bit: the fraction p of neurons called inactive (the top 1-p scores are active)
     * @param samples    calibration samples per layer used for training
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SparseFfn(String predictor, Double threshold, Map<String, Double> layerThresholds, Integer mlpWidth,
                            Double oneBitSparsity, Integer samples) {}

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

    /** @param file calibration text (default: the sample model's calibration.txt); @param tokens how many to use */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Calibration(String file, Integer tokens) {}

    /** The paper's recipe: low rank D/8 on its matrices, nothing else. */
    public static Recipe paperLowRank() {
        return new Recipe(null, new LowRank("svd", null, new RankRule(0.125, null, null, null), null, null), null, null,
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
            throw new RecipeException(source + ": invalid " + path(e) + ": " + c.getMessage());
        } catch (JsonProcessingException e) {
            throw new RecipeException(source + ": malformed recipe: " + e.getOriginalMessage()
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

    /** Checks what can be checked without a model. */
    public void validate(String source) throws RecipeException {
        if (lowRank != null) {
            if (lowRank.method() != null && !List.of("svd", "whitened").contains(lowRank.method())) {
                throw new RecipeException(source + ": lowRank.method must be \"svd\" or \"whitened\", not \""
                        + lowRank.method() + "\"");
            }
            RankRule r = lowRank.rule();
            if (r == null) throw new RecipeException(source + ": lowRank.rule is required (ratio, energy, budget or fixed)");
            int set = (r.ratio() != null ? 1 : 0) + (r.energy() != null ? 1 : 0) + (r.budget() != null ? 1 : 0)
                    + (r.fixed() != null ? 1 : 0);
            if (set != 1) throw new RecipeException(source + ": lowRank.rule needs exactly one of ratio, energy, budget, fixed");
            if (r.ratio() != null && !(r.ratio() > 0 && r.ratio() <= 1)) {
                throw new RecipeException(source + ": lowRank.rule.ratio must be in (0, 1], not " + r.ratio());
            }
            if (r.energy() != null && !(r.energy() > 0 && r.energy() <= 1)) {
                throw new RecipeException(source + ": lowRank.rule.energy must be in (0, 1], not " + r.energy());
            }
            if (r.budget() != null && !(r.budget() > 0 && r.budget() <= 1)) {
                throw new RecipeException(source + ": lowRank.rule.budget must be in (0, 1], not " + r.budget());
            }
            if (r.fixed() != null && r.fixed() < 1) {
                throw new RecipeException(source + ": lowRank.rule.fixed must be at least 1, not " + r.fixed());
            }
            if (lowRank.overrides() != null) {
                for (var e : lowRank.overrides().entrySet()) {
                    if (e.getValue() == null || e.getValue() < 1) {
                        throw new RecipeException(source + ": impossible rank " + e.getValue() + " for " + e.getKey());
                    }
                }
            }
        }
        if (sparseFfn != null) {
            String p = sparseFfn.predictor() == null ? "mlp" : sparseFfn.predictor();
            if (!List.of("mlp", "1bit", "both").contains(p)) {
                throw new RecipeException(source + ": sparseFfn.predictor must be mlp, 1bit or both, not \"" + p + "\"");
            }
            if (sparseFfn.threshold() != null && !(sparseFfn.threshold() >= 0 && sparseFfn.threshold() <= 1)) {
                throw new RecipeException(source + ": sparseFfn.threshold must be in [0, 1]");
            }
            if (sparseFfn.oneBitSparsity() != null && !(sparseFfn.oneBitSparsity() >= 0 && sparseFfn.oneBitSparsity() < 1)) {
                throw new RecipeException(source + ": sparseFfn.oneBitSparsity must be in [0, 1)");
            }
        }
        if (head != null && head.clusters() < 2) throw new RecipeException(source + ": head.clusters must be at least 2");
        if (int8 != null && int8.scheme() != null && !int8.scheme().equals("row")) {
            throw new RecipeException(source + ": int8.scheme must be \"row\", not \"" + int8.scheme() + "\"");
        }
    }

    /** A recipe that cannot be parsed or applied; the message names the source and the problem. */
    public static final class RecipeException extends IOException {
        public RecipeException(String message) {
            super(message);
        }
    }
}
