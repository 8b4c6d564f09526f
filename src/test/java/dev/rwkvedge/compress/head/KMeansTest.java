package dev.rwkvedge.compress.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.runtime.Parallel;
import dev.rwkvedge.task.ProgressListener;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KMeansTest {
    static final int K = 5, PER_BLOB = 40, DIM = 8;

    /** K blobs of radius ~0.1 around centres 10 apart; labels[i] is the blob of row i. */
    static float[] blobs(int[] labels, long seed) {
        Random r = new Random(seed);
        float[][] centres = new float[K][DIM];
        for (int k = 0; k < K; k++) for (int d = 0; d < DIM; d++) centres[k][d] = (float) (r.nextGaussian() * 10);
        float[] rows = new float[K * PER_BLOB * DIM];
        for (int i = 0; i < K * PER_BLOB; i++) {
            // interleaved, so no clustering can get the blobs right by row order
            labels[i] = i % K;
            for (int d = 0; d < DIM; d++) rows[i * DIM + d] = centres[labels[i]][d] + (float) (r.nextGaussian() * 0.1);
        }
        return rows;
    }

    static KMeans.Result fit(float[] rows, int n, int k, long seed) {
        return new KMeans(k, 100, seed).fit(rows, n, rows.length / n, new Parallel(2), ProgressListener.NONE);
    }

    @Test
    void recoversWellSeparatedBlobsUpToPermutation() {
        int[] labels = new int[K * PER_BLOB];
        float[] rows = blobs(labels, 7);
        KMeans.Result r = fit(rows, labels.length, K, 1);
        assertTrue(r.converged());
        Map<Integer, Integer> blobOfCluster = new HashMap<>();
        for (int i = 0; i < labels.length; i++) {
            Integer before = blobOfCluster.putIfAbsent(r.assignment()[i], labels[i]);
            assertTrue(before == null || before == labels[i], "cluster " + r.assignment()[i] + " mixes blobs");
        }
        assertEquals(K, new HashSet<>(blobOfCluster.values()).size(), "every blob has its own cluster");
    }

    @Test
    void sameSeedSameResult() {
        int[] labels = new int[K * PER_BLOB];
        float[] rows = blobs(labels, 3);
        KMeans.Result a = fit(rows, labels.length, 7, 42), b = fit(rows, labels.length, 7, 42);
        assertArrayEquals(a.assignment(), b.assignment());
        assertArrayEquals(a.centroids(), b.centroids());
        assertEquals(a.iterations(), b.iterations());
    }

    @Test
    void plusPlusSeedsAreDistinctPoints() {
        int[] labels = new int[K * PER_BLOB];
        float[] rows = blobs(labels, 11);
        float[] seeds = new KMeans(K, 1, 5).seeds(rows, labels.length, DIM);
        Set<String> distinct = new HashSet<>();
        for (int j = 0; j < K; j++) {
            float[] c = java.util.Arrays.copyOfRange(seeds, j * DIM, (j + 1) * DIM);
            distinct.add(java.util.Arrays.toString(c));
        }
        assertEquals(K, distinct.size());
    }

    @Test
    void emptyClusterIsReseededFromTheFarthestPoint() {
        // five identical points and one far away: the third seed must duplicate a centre, leaving a cluster empty
        float[] rows = {0, 0, 0, 0, 0, 10};
        KMeans.Result r = fit(rows, 6, 3, 0);
        int[] counts = new int[3];
        for (int a : r.assignment()) counts[a]++;
        for (int c : counts) assertTrue(c > 0, "a cluster stayed empty: " + java.util.Arrays.toString(counts));
        ClusterIndex.of(r.assignment(), 3);
    }

    @Test
    void pcaKeepsTheDirectionOfLargestSpread() {
        // points on the line t * (1, 2, 2) / 3 plus tiny noise: one dimension keeps their distances
        Random r = new Random(1);
        int n = 50;
        float[] rows = new float[n * 3];
        float[] t = new float[n];
        for (int i = 0; i < n; i++) {
            t[i] = (float) r.nextGaussian() * 5;
            rows[i * 3] = t[i] / 3 + (float) r.nextGaussian() * 1e-3f;
            rows[i * 3 + 1] = 2 * t[i] / 3;
            rows[i * 3 + 2] = 2 * t[i] / 3;
        }
        float[] p = Pca.project(rows, n, 3, 1);
        for (int i = 1; i < n; i++) assertEquals(Math.abs(t[i] - t[0]), Math.abs(p[i] - p[0]), 1e-2);
    }
}
