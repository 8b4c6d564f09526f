package dev.rwkvedge.compress.budget;

import dev.rwkvedge.compress.quant.Precision;
import java.util.List;

/**
 * The settings the solver chooses among, per part: the ones the sweep and hand-made recipes showed to matter on the
 * sample model (whitened budget rule, the 1-bit sparse FFN predictor with a small neuron cache, head coverage with few
 * clusters or a wide coverage with a rank-16 or rank-8 tail estimate, a rank ratio whose factors are whole
 * 4-bit groups, a small embedding cache, int8 or 4-bit). Each list starts
 * with "off"; "precision" is global (it applies to every matrix left dense, and turns a dense head int8).
 */
public final class PartOptions {
    private PartOptions() {}

    public static final String PRECISION = "precision";

    public static List<List<PartOption>> defaults() {
        return List.of(
                List.of(PartOption.off("lowRank"), lowRank(0.4), lowRank(0.25), lowRank(0.15), lowRankRatio(0.3334)),
                List.of(PartOption.off("sparseFfn"), oneBit(0.9), oneBit(0.97), oneBit(0.9, 32)),
                List.of(PartOption.off("head"), head(0.8, 5), head(0.6, 3), tailHead(0.97, 16, 16, 64),
                        tailHead(0.9, 8, 16, 64), tailHead(0.97, 16, 8, 64)),
                List.of(PartOption.off("embedding"), embedding(128), embedding(32)),
                List.of(PartOption.off(PRECISION), precision(Precision.INT8), precision(Precision.Q4_1)));
    }

    /** int8 everywhere, or a 4-bit format for the block matrices with int8 for a dense head. */
    public static PartOption precision(Precision p) {
        String json = p == Precision.INT8 ? "\"int8\": {}"
                : "\"precision\": {\"default\": \"" + p.label() + "\"}, \"int8\": {}";
        return new PartOption(PRECISION, p.label(), json);
    }

    /** The precision a precision option stands for (its label). */
    static Precision precisionOf(PartOption o) {
        return Precision.parse(o.label());
    }

    static PartOption oneBit(double skipped, int cacheNeurons) {
        return new PartOption("sparseFfn", String.format(java.util.Locale.ROOT,
                "1-bit predictor, %.0f %% skipped, %d-neuron cache", 100 * skipped, cacheNeurons),
                String.format(java.util.Locale.ROOT, "\"sparseFfn\": {\"predictor\": \"1bit\", \"oneBitSparsity\": %s,"
                        + " \"cacheNeurons\": %d}", skipped, cacheNeurons));
    }

    static PartOption tailHead(double coverage, int maxClusters, int tailRank, int cacheRows) {
        return new PartOption("head", String.format(java.util.Locale.ROOT,
                "64 clusters, coverage %.2f, at most %d, tail rank %d, %d-row cache", coverage, maxClusters, tailRank,
                cacheRows), String.format(java.util.Locale.ROOT, "\"head\": {\"clusters\": 64, \"coverage\": %s,"
                        + " \"maxClusters\": %d, \"space\": \"head\", \"tailRank\": %d, \"cacheRows\": %d}",
                coverage, maxClusters, tailRank, cacheRows));
    }

    static PartOption oneBit(double skipped) {
        return new PartOption("sparseFfn", String.format(java.util.Locale.ROOT, "1-bit predictor, %.0f %% skipped",
                100 * skipped), String.format(java.util.Locale.ROOT,
                "\"sparseFfn\": {\"predictor\": \"1bit\", \"oneBitSparsity\": %s}", skipped));
    }

    static PartOption lowRank(double share) {
        return new PartOption("lowRank", String.format(java.util.Locale.ROOT, "whitened budget %.0f %%", 100 * share),
                String.format(java.util.Locale.ROOT,
                        "\"lowRank\": {\"method\": \"whitened\", \"rule\": {\"budget\": %s}}", share));
    }

    /**
     * Rank = ratio x min(out, in) on every low-rank matrix: at C/3 (64 of 192 here) both factors are whole 4-bit
     * groups, so a 4-bit precision keeps them 4-bit, where a budget rule's uneven ranks fall back to int8.
     */
    static PartOption lowRankRatio(double ratio) {
        return new PartOption("lowRank", String.format(java.util.Locale.ROOT, "whitened ratio %.4f", ratio),
                String.format(java.util.Locale.ROOT,
                        "\"lowRank\": {\"method\": \"whitened\", \"rule\": {\"ratio\": %s}}", ratio));
    }

    static PartOption head(double coverage, int maxClusters) {
        return new PartOption("head", String.format(java.util.Locale.ROOT, "64 clusters, coverage %.2f, at most %d",
                coverage, maxClusters), String.format(java.util.Locale.ROOT,
                "\"head\": {\"clusters\": 64, \"coverage\": %s, \"maxClusters\": %d, \"space\": \"head\"}",
                coverage, maxClusters));
    }

    static PartOption embedding(int rows) {
        return new PartOption("embedding", rows + "-row cache", "\"embedding\": {\"cacheRows\": " + rows + "}");
    }
}
