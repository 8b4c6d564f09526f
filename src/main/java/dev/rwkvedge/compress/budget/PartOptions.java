package dev.rwkvedge.compress.budget;

import java.util.List;

/**
 * The settings the solver chooses among, per part: the ones the sweep and hand-made recipes showed to matter on the
 * sample model (whitened budget rule, the 1-bit sparse FFN predictor, head coverage with few clusters, a small embedding cache,
 * int8). Each list starts with "off"; "precision" is global (it applies to every matrix left dense).
 */
public final class PartOptions {
    private PartOptions() {}

    public static final String PRECISION = "precision";

    public static List<List<PartOption>> defaults() {
        return List.of(
                List.of(PartOption.off("lowRank"), lowRank(0.4), lowRank(0.25), lowRank(0.15)),
                List.of(PartOption.off("sparseFfn"), oneBit(0.9), oneBit(0.97)),
                List.of(PartOption.off("head"), head(0.8, 5), head(0.6, 3)),
                List.of(PartOption.off("embedding"), embedding(128), embedding(32)),
                List.of(PartOption.off(PRECISION), new PartOption(PRECISION, "int8", "\"int8\": {}")));
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
