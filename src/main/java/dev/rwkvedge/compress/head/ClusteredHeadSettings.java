package dev.rwkvedge.compress.head;

import dev.rwkvedge.compress.resident.RowPrecision;

/**
 * The recipe's knobs for the clustered head. A field that is absent from the JSON (zero or null) takes the paper's
 * value: 200 clusters, coverage 0.95, 3 to 100 clusters per token, PCA to 200 dimensions (none when the model is
 * narrower), embedding rows. {@code seed} 0 is a valid fixed seed.
 *
 * @param pcaDims      dimensions k-means sees after PCA; negative for no PCA
 * @param heldOutShare share of the calibration tokens (its tail) held out for validation when no held-out text is
 *                     given
 * @param cacheRows    head rows the row cache holds (absent: 2048); the rest stay in storage
 * @param precision    how the head rows are stored (absent: int8 with a scale per row)
 * @param tailRank     rank of the resident logit estimate given to the tokens of unread clusters
 *                     ({@link TailLogits}); absent or 0: the paper's even pseudo-logits
 */
public record ClusteredHeadSettings(int clusters, double coverage, int minClusters, int maxClusters, int pcaDims,
                                    ClusterSpace space, long seed, int kmeansIterations, int epochs, int batchSize,
                                    double learningRate, double heldOutShare, int cacheRows, RowPrecision precision,
                                    int tailRank) {
    public static final int DEFAULT_CACHE_ROWS = 2048;

    public ClusteredHeadSettings {
        if (clusters == 0) clusters = 200;
        if (coverage == 0) coverage = 0.95;
        if (minClusters == 0) minClusters = 3;
        if (maxClusters == 0) maxClusters = 100;
        if (pcaDims == 0) pcaDims = 200;
        if (space == null) space = ClusterSpace.EMBEDDING;
        if (kmeansIterations == 0) kmeansIterations = 50;
        if (epochs == 0) epochs = 5;
        if (batchSize == 0) batchSize = 64;
        if (learningRate == 0) learningRate = 1e-2;
        if (heldOutShare == 0) heldOutShare = 0.1;
        if (cacheRows == 0) cacheRows = DEFAULT_CACHE_ROWS;
        if (precision == null) precision = RowPrecision.INT8;
        if (tailRank < 0) throw new IllegalArgumentException("tailRank must not be negative, got " + tailRank);
        if (cacheRows < 0) throw new IllegalArgumentException("cacheRows must be positive, got " + cacheRows);
        if (clusters < 1) throw new IllegalArgumentException("clusters must be positive, got " + clusters);
        if (!(heldOutShare > 0 && heldOutShare < 1)) throw new IllegalArgumentException("heldOutShare outside (0, 1)");
        new Selection(coverage, minClusters, maxClusters);
    }

    public ClusteredHeadSettings(int clusters, double coverage, int minClusters, int maxClusters, int pcaDims,
                                 ClusterSpace space, long seed, int kmeansIterations, int epochs, int batchSize,
                                 double learningRate, double heldOutShare) {
        this(clusters, coverage, minClusters, maxClusters, pcaDims, space, seed, kmeansIterations, epochs, batchSize,
                learningRate, heldOutShare, 0, null, 0);
    }

    public ClusteredHeadSettings(int clusters, double coverage, int minClusters, int maxClusters, int pcaDims,
                                 ClusterSpace space, long seed, int kmeansIterations, int epochs, int batchSize,
                                 double learningRate, double heldOutShare, int cacheRows, RowPrecision precision) {
        this(clusters, coverage, minClusters, maxClusters, pcaDims, space, seed, kmeansIterations, epochs, batchSize,
                learningRate, heldOutShare, cacheRows, precision, 0);
    }

    public static ClusteredHeadSettings paper() {
        return new ClusteredHeadSettings(0, 0, 0, 0, 0, null, 0, 0, 0, 0, 0, 0);
    }

    public Selection selection() {
        return new Selection(coverage, minClusters, maxClusters);
    }

    public ClusteredHeadSettings withClusters(int k) {
        return new ClusteredHeadSettings(k, coverage, minClusters, maxClusters, pcaDims, space, seed, kmeansIterations,
                epochs, batchSize, learningRate, heldOutShare, cacheRows, precision, tailRank);
    }

    public ClusteredHeadSettings withSpace(ClusterSpace s) {
        return new ClusteredHeadSettings(clusters, coverage, minClusters, maxClusters, pcaDims, s, seed,
                kmeansIterations, epochs, batchSize, learningRate, heldOutShare, cacheRows, precision, tailRank);
    }

    public ClusteredHeadSettings withSelection(Selection s) {
        return new ClusteredHeadSettings(clusters, s.coverage(), s.minClusters(), s.maxClusters(), pcaDims, space, seed,
                kmeansIterations, epochs, batchSize, learningRate, heldOutShare, cacheRows, precision, tailRank);
    }
}
