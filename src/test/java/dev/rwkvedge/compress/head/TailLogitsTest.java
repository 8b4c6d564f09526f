package dev.rwkvedge.compress.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.runtime.Int8Projection;
import dev.rwkvedge.runtime.Parallel;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TailLogitsTest {
    static final int V = 300, C = 24, R = 3, K = 10;

    /** A (V x R) of integers in [-127, 127] with a +-127 in every row, so int8 with scale 1 holds it exactly. */
    static float[] int8ExactFactor(Random r) {
        float[] a = new float[V * R];
        for (int v = 0; v < V; v++) {
            for (int k = 0; k < R; k++) a[v * R + k] = r.nextInt(255) - 127;
            a[v * R + r.nextInt(R)] = r.nextBoolean() ? 127 : -127;
        }
        return a;
    }

    static float[] gaussian(int n, Random r, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (scale * r.nextGaussian());
        return x;
    }

    /** W = A B, exactly: row v of W is sum_k A[v,k] B[k,:]. */
    static float[] product(float[] a, float[] b) {
        float[] w = new float[V * C];
        for (int v = 0; v < V; v++) {
            for (int c = 0; c < C; c++) {
                double s = 0;
                for (int k = 0; k < R; k++) s += (double) a[v * R + k] * b[k * C + c];
                w[v * C + c] = (float) s;
            }
        }
        return w;
    }

    static double dot(float[] w, int row, float[] x) {
        double s = 0;
        for (int c = 0; c < C; c++) s += (double) w[row * C + c] * x[c];
        return s;
    }

    @Test
    void aHeadOfTheTailsRankGetsItsDenseLogitsEvenFromUnreadClusters() {
        Random r = new Random(11);
        float[] a = int8ExactFactor(r), b = gaussian(R * C, r, 0.01);
        float[] w = product(a, b);
        int[] clusterOf = new int[V];
        for (int v = 0; v < V; v++) clusterOf[v] = (v * 7) % K;
        ClusterIndex index = ClusterIndex.of(clusterOf, K);
        // the tail's A in cluster order, as the head stores its rows
        float[] aByCluster = new float[V * R];
        for (int i = 0; i < V; i++) System.arraycopy(a, index.tokens()[i] * R, aByCluster, i * R, R);
        TailLogits tail = new TailLogits(b, Int8Projection.quantize(aByCluster, V, R), R, C);
        ClusteredHead head = ClusteredHead.of(w, null, RouterTrainer.initial(w, null, index, C), index,
                new Selection(0.01, 1, 2)).withTail(tail);
        float[] x = gaussian(C, r, 1), z = new float[V];
        head.logits(x, 1, z, Parallel.serial());
        assertTrue(head.meanClustersPerToken() <= 2, "at most 2 of " + K + " clusters read");
        for (int v = 0; v < V; v++) assertEquals(dot(w, v, x), z[v], 1e-4 * (1 + Math.abs(dot(w, v, x))), "token " + v);
    }

    @Test
    void fittedAtTheHeadsRankTheEstimateMatchesTheHeadWithinInt8Rounding() {
        Random r = new Random(12);
        float[] w = product(int8ExactFactor(r), gaussian(R * C, r, 0.01));
        int n = 200;
        float[] inputs = gaussian(n * C, r, 1);
        int[] clusterOf = new int[V];
        for (int v = 0; v < V; v++) clusterOf[v] = v % K;
        ClusterIndex index = ClusterIndex.of(clusterOf, K);
        TailLogits tail = TailLogits.fit(w, index, C, R, inputs, n);
        float[] x = gaussian(C, r, 1), u = new float[R], zHat = new float[V];
        tail.estimate(x, 0, u, zHat);
        double err = 0, norm = 0;
        for (int i = 0; i < V; i++) {
            double z = dot(w, index.tokens()[i], x);
            err += (zHat[i] - z) * (zHat[i] - z);
            norm += z * z;
        }
        // int8 rounding of A: at most half a step of max|row| / 127 per entry, about 0.4 % relative
        assertTrue(Math.sqrt(err / norm) < 0.01, "relative error " + Math.sqrt(err / norm));
        // one rank below, the error is the dropped direction's share: far larger
        TailLogits low = TailLogits.fit(w, index, C, R - 1, inputs, n);
        low.estimate(x, 0, new float[R - 1], zHat);
        double lowErr = 0;
        for (int i = 0; i < V; i++) lowErr += Math.pow(zHat[i] - dot(w, index.tokens()[i], x), 2);
        assertTrue(lowErr > 10 * err, lowErr + " vs " + err);
    }
}
