package dev.rwkvedge.compress.head;

import java.util.Arrays;

/**
 * Which clusters get exact logits: the most probable ones, in order of router probability, until their cumulative
 * probability reaches {@code coverage}, never fewer than {@code minClusters} and never more than {@code maxClusters}.
 * A coverage of 1 or more takes every cluster up to the maximum (float sums may stop just short of 1).
 */
public record Selection(double coverage, int minClusters, int maxClusters) {

    public static final Selection PAPER = new Selection(0.95, 3, 100);

    public Selection {
        if (!(coverage > 0)) throw new IllegalArgumentException("coverage must be positive, got " + coverage);
        if (minClusters < 1 || maxClusters < minClusters) {
            throw new IllegalArgumentException("need 1 <= minClusters <= maxClusters, got " + minClusters + ", "
                    + maxClusters);
        }
    }

    /**
     * Writes the chosen clusters, most probable first, to {@code chosen} and returns how many. {@code keys} is
     * scratch of length K.
     */
    public int choose(float[] p, int pOff, int K, long[] keys, int[] chosen) {
        // p >= 0, so its float bits order like its value: one primitive sort ranks the clusters
        for (int j = 0; j < K; j++) keys[j] = ((long) Float.floatToRawIntBits(p[pOff + j]) << 32) | j;
        Arrays.sort(keys, 0, K);
        int limit = Math.min(maxClusters, K);
        double cumulative = 0;
        int n = 0;
        while (n < limit) {
            int j = (int) keys[K - 1 - n];
            chosen[n++] = j;
            cumulative += p[pOff + j];
            if (n >= minClusters && coverage < 1 && cumulative >= coverage) break;
        }
        return n;
    }
}
