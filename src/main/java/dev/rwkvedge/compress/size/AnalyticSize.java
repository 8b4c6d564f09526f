package dev.rwkvedge.compress.size;

import dev.rwkvedge.compress.Compressor;
import dev.rwkvedge.compress.RankPlanner;
import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.SizeReport;
import dev.rwkvedge.compress.embedding.EmbeddingCacheSettings;
import dev.rwkvedge.compress.head.ClusteredHeadSettings;
import dev.rwkvedge.compress.quant.Precision;
import dev.rwkvedge.compress.resident.RowPrecision;
import dev.rwkvedge.compress.sparse.SparseSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The size of the model a recipe builds, without building it: from the dense model's shapes, the recipe, and the few
 * facts only an expensive step knows (a matrix's singular values for the energy and budget rules, the number of
 * clusters the head ended with, the sparse predictors' sizes), which the artefact cache answers once it has them.
 * Follows {@link Compressor#apply} step by step: low rank, sparse channel mix, clustered head, block precision
 * (low-rank factors included; a sparse mix's bundles follow an int8 default), int8 head, embedding row cache.
 * No weight is touched, so the studio shows the new point at this size before anything is built.
 */
public final class AnalyticSize {
    /** What only an expensive step knows; each answer is null until that step has run for these inputs. */
    public interface Known {
        /** Singular values (descending) of the matrix's plain or whitened decomposition. */
        double[] spectrum(String matrix, boolean whitened, double ridge, int[] calibration);

        /** How many clusters the head built for these settings has. */
        Integer headClusters(ClusteredHeadSettings s, int[] calibration);

        /** Each sparse layer's predictor (parameters, resident bytes), by layer index. */
        Map<Integer, long[]> predictors(SparseSettings s, int[] calibration);
    }

    /** Why a size cannot be known yet. */
    public static final class Unknown extends Exception {
        Unknown(String why) {
            super(why, null, false, false);
        }
    }

    private final ModelShapes shapes;

    public AnalyticSize(ModelShapes shapes) {
        this.shapes = shapes;
    }

    /** The size, or empty when a fact it needs is not known yet (or the recipe cannot be applied: the build says why). */
    public Optional<SizeReport> of(Recipe r, int[] calibration, Known known) {
        try {
            return Optional.of(compute(r, calibration, known));
        } catch (Unknown | Recipe.RecipeException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** @throws Unknown when a fact it needs is not known yet */
    public SizeReport compute(Recipe r, int[] calibration, Known known) throws Unknown, Recipe.RecipeException {
        int C = shapes.embd(), V = shapes.vocab(), layers = shapes.blocks().size();
        if (r.needsCalibration() && calibration == null) throw new Unknown("calibration text not read yet");
        Map<String, Integer> ranks = ranks(r.lowRank(), calibration, known);
        boolean int8 = r.int8() != null && r.int8().on();
        Recipe.Quantization precision = r.precision() != null ? r.precision()
                : int8 ? new Recipe.Quantization(Precision.INT8, null, false) : null;
        Map<Integer, long[]> predictors = Map.of();
        if (r.sparseFfn() != null) {
            predictors = known.predictors(sparseSettings(r.sparseFfn()), calibration);
            if (predictors == null) throw new Unknown("sparse predictors not trained yet");
        }
        boolean int8Bundles = precision != null && (precision.fallback() == Precision.INT8
                || precision.fallback() != null && precision.fallback().grouped());
        long tmP = 0, tmB = 0, cmP = 0, cmB = 0;
        for (int l = 0; l < layers; l++) {
            ModelShapes.BlockShape b = shapes.blocks().get(l);
            for (var e : b.timeMix().entrySet()) {
                long[] pb = projection("blocks." + l + "." + e.getKey(), e.getValue(), ranks, precision);
                tmP += pb[0];
                tmB += pb[1];
            }
            tmP += b.vectorParams();
            tmB += 4 * b.vectorParams();
            long[] predictor = predictors.get(l);
            if (predictor != null) {
                if (!b.denseMix()) throw new Unknown("layer " + l + " has no dense channel mix to make sparse");
                int F = b.channelMix().get("ffn.key").out();
                long[] receptance = {0, 0};
                ModelShapes.Matrix rm = b.channelMix().get("ffn.receptance");
                // a sparse mix exposes no projection, so precision leaves its receptance as low rank left it
                if (rm != null) receptance = projection("blocks." + l + ".ffn.receptance", rm, ranks, null);
                RowPrecision bundles = int8Bundles ? RowPrecision.INT8 : RowPrecision.F32;
                int recordBytes = bundles == RowPrecision.F32 ? 8 * C : 2 * C + 4;
                int cache = r.sparseFfn().cacheNeurons() != null ? r.sparseFfn().cacheNeurons() : F;
                cmB += cacheBytes(F, recordBytes, cache) + (bundles == RowPrecision.INT8 ? 4L * C : 0)
                        + 4 * b.shiftParams() + receptance[1] + predictor[1];
                cmP += 2L * C * F + b.shiftParams() + receptance[0] + predictor[0];
            } else {
                cmP += b.shiftParams();
                cmB += 4 * b.shiftParams();
                for (var e : b.channelMix().entrySet()) {
                    long[] pb = projection("blocks." + l + "." + e.getKey(), e.getValue(), ranks, precision);
                    cmP += pb[0];
                    cmB += pb[1];
                }
            }
        }
        List<SizeReport.Part> parts = new ArrayList<>();
        parts.add(embedding(r.embedding()));
        parts.add(new SizeReport.Part("time-mix", tmP, tmB));
        parts.add(new SizeReport.Part("channel-mix", cmP, cmB));
        parts.add(shapes.densePart("norms"));
        parts.add(head(r.head(), int8, calibration, known));
        return new SizeReport(parts, shapes.dense().parameters());
    }

    /** Every factored matrix's rank (full name), as the compressor plans them. */
    private Map<String, Integer> ranks(Recipe.LowRank lr, int[] calibration, Known known)
            throws Unknown, Recipe.RecipeException {
        if (lr == null) return Map.of();
        List<String> names = lr.matrices() != null ? lr.matrices() : Compressor.defaultLowRankMatrices(shapes.generation());
        boolean spectra = lr.rule() instanceof dev.rwkvedge.compress.RankRule.Energy || lr.rule().global();
        List<RankPlanner.Candidate> cands = new ArrayList<>();
        for (int l = 0; l < shapes.blocks().size(); l++) {
            ModelShapes.BlockShape b = shapes.blocks().get(l);
            for (String n : names) {
                ModelShapes.Matrix m = b.timeMix().containsKey(n) ? b.timeMix().get(n) : b.channelMix().get(n);
                if (m == null || !m.plain()) throw new Recipe.RecipeException("cannot factor " + n);
                String full = "blocks." + l + "." + n;
                double[] sigma = new double[0];
                boolean fixed = lr.overrides() != null && lr.overrides().containsKey(full);
                if (spectra && (!fixed || lr.rule().global())) {
                    sigma = known.spectrum(full, lr.whitened(), lr.ridgeOrDefault(), calibration);
                    if (sigma == null) throw new Unknown("no decomposition of " + full + " yet");
                }
                cands.add(new RankPlanner.Candidate(full, m.out(), m.in(), sigma));
            }
        }
        return RankPlanner.plan(cands, lr.rule(), lr.overrides());
    }

    /** {parameters, resident bytes} of one block projection after low rank and block precision. */
    private static long[] projection(String full, ModelShapes.Matrix m, Map<String, Integer> ranks,
                                     Recipe.Quantization precision) {
        Integer rank = ranks.get(full);
        Precision p = precision == null ? Precision.FP32 : precision.of(full);
        if (rank != null) {
            long params = (long) rank * m.in() + (long) m.out() * rank;
            if (p == Precision.FP32) return new long[] {params, 4 * params};
            return new long[] {params, stored(p, rank, m.in()) + stored(p, m.out(), rank)};
        }
        if (p == Precision.FP32 || !m.plain()) return new long[] {m.parameters(), m.residentBytes()};
        // a quantized matrix keeps no bias
        return new long[] {(long) m.out() * m.in(), stored(p, m.out(), m.in())};
    }

    /** Bytes of an (out x in) matrix stored in p; a 4-bit format falls back to int8 for rows not of whole groups. */
    private static long stored(Precision p, int out, int in) {
        return (p.grouped() && in % 32 != 0 ? Precision.INT8 : p).bytes(out, in);
    }

    private SizeReport.Part embedding(EmbeddingCacheSettings e) {
        if (e == null) return shapes.densePart("embedding");
        int C = shapes.embd(), V = shapes.vocab();
        return new SizeReport.Part("embedding", (long) V * C, rowTable(e.precision(), V, C, e.cacheRows()),
                Double.NaN, Double.NaN);
    }

    private SizeReport.Part head(ClusteredHeadSettings h, boolean int8, int[] calibration, Known known) throws Unknown {
        int C = shapes.embd(), V = shapes.vocab();
        if (h != null) {
            Integer k = known.headClusters(h, calibration);
            if (k == null) throw new Unknown("the head's clusters are not built yet");
            long router = (long) k * C + k, bias = shapes.headBias() ? V : 0;
            int tail = Math.min(h.tailRank(), C); // TailLogits: B (r x C) float32, A (V x r) int8
            long tailParams = (long) tail * C + (long) V * tail;
            long tailBytes = tail == 0 ? 0 : 4L * tail * C + Precision.INT8.bytes(V, tail);
            long bytes = 4 * router + 4L * (V + k + 1) + 4 * bias + rowTable(h.precision(), V, C, h.cacheRows())
                    + tailBytes;
            return new SizeReport.Part("head", (long) V * C + bias + router + tailParams, bytes, Double.NaN, Double.NaN);
        }
        if (int8 && shapes.denseHead() && !shapes.headBias()) {
            return new SizeReport.Part("head", (long) V * C, Precision.INT8.bytes(V, C));
        }
        return shapes.densePart("head");
    }

    /** A row table behind its cache: the cache and, for int8 rows, one scale per row. */
    private static long rowTable(RowPrecision p, int rows, int dim, int cacheRows) {
        int recordBytes = p == RowPrecision.F32 ? 4 * dim : dim;
        return cacheBytes(rows, recordBytes, cacheRows) + (p == RowPrecision.INT8 ? 4L * rows : 0);
    }

    static long cacheBytes(int records, int recordBytes, int capacity) {
        return dev.rwkvedge.compress.resident.RecordCache.bytes(records, recordBytes, capacity);
    }

    private SparseSettings sparseSettings(Recipe.SparseFfn s) throws Recipe.RecipeException {
        return Compressor.sparseSettings(s, shapes.blocks().size());
    }
}
