package dev.rwkvedge.compress.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.runtime.DenseHead;
import dev.rwkvedge.runtime.DenseProjection;
import dev.rwkvedge.runtime.Parallel;
import dev.rwkvedge.tensor.Tensor;
import java.util.Random;
import dev.rwkvedge.compress.resident.RowPrecision;
import org.junit.jupiter.api.Test;

class ClusteredHeadTest {
    /** V = 6 in clusters {0, 1}, {2, 3, 4}, {5}; head rows e1, e2 for tokens 0 and 1, x = (2, 1). */
    static final int[] CLUSTER_OF = {0, 0, 1, 1, 1, 2};
    static final float[] ROWS = {1, 0, 0, 1, 5, 5, 5, 5, 5, 5, 5, 5};
    static final float[] X = {2, 1};
    static final float[] P = {0.5f, 0.3f, 0.2f};

    /** A router that ignores x and answers P: zero weights, bias log P. */
    static Router fixedRouter() {
        float[] bias = new float[P.length];
        for (int j = 0; j < P.length; j++) bias[j] = (float) Math.log(P[j]);
        return new Router(new float[P.length * 2], bias, P.length, 2);
    }

    static float[] handBuilt(Selection s) {
        ClusteredHead h = ClusteredHead.of(ROWS, null, fixedRouter(), ClusterIndex.of(CLUSTER_OF, 3), s);
        float[] z = new float[6];
        h.logits(X, 1, z, Parallel.serial());
        return z;
    }

    @Test
    void pseudoLogitsFollowTheClosedForm() {
        float[] z = handBuilt(new Selection(0.45, 1, 3));
        // only cluster 0 is chosen: exact logits 2 and 1, m = 2, Q = 1 + e^-1, P = 0.5
        double q = 1 + Math.exp(-1);
        assertEquals(2, z[0], 0);
        assertEquals(1, z[1], 0);
        float b = (float) (2 + Math.log(q * 0.3 / (0.5 * 3)));
        float c = (float) (2 + Math.log(q * 0.2 / (0.5 * 1)));
        assertArrayEquals(new float[] {2, 1, b, b, b, c}, z, 1e-5f);
        // by hand: Q = 1.3678794, z_b = 2 + ln(0.2 Q) = 0.70382, z_c = 2 + ln(0.4 Q) = 1.39697
        assertEquals(0.70382f, b, 1e-4f);
        assertEquals(1.39697f, c, 1e-4f);
    }

    @Test
    void unchosenClusterMassRelativeToTheExactPartIsItsRouterShare() {
        for (Selection s : new Selection[] {new Selection(0.45, 1, 3), new Selection(0.45, 2, 3)}) {
            float[] z = handBuilt(s);
            double[] mass = new double[3];
            for (int t = 0; t < 6; t++) mass[CLUSTER_OF[t]] += Math.exp(z[t]);
            double chosenP = s.minClusters() == 1 ? P[0] : P[0] + P[1];
            double exact = s.minClusters() == 1 ? mass[0] : mass[0] + mass[1];
            for (int j = s.minClusters(); j < 3; j++) assertEquals(P[j] / chosenP, mass[j] / exact, 1e-5);
        }
    }

    static float[] randomRows(int V, int C, Random r) {
        float[] w = new float[V * C];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        return w;
    }

    @Test
    void fullCoverageGivesTheDenseLogitsBitForBit() {
        int V = 300, C = 40, K = 7, T = 9;
        Random r = new Random(5);
        float[] w = randomRows(V, C, r);
        float[] bias = new float[V];
        for (int v = 0; v < V; v++) bias[v] = (float) r.nextGaussian();
        DenseHead dense = new DenseHead(DenseProjection.of(Tensor.ofFloats("head.weight", w, V, C), bias));
        int[] clusterOf = new int[V];
        for (int v = 0; v < V; v++) clusterOf[v] = (v * 31) % K;
        ClusterIndex index = ClusterIndex.of(clusterOf, K);
        Router router = RouterTrainer.initial(w, bias, index, C);
        ClusteredHead clustered = ClusteredHead.of(w, bias, router, index, new Selection(1.0, 1, K));
        float[] x = randomRows(T, C, r);
        for (int rows : new int[] {1, T}) {
            float[] zd = new float[rows * V], zc = new float[rows * V];
            dense.logits(x, rows, zd, new Parallel(2));
            clustered.logits(x, rows, zc, new Parallel(2));
            assertArrayEquals(zd, zc);
        }
        assertEquals(K, clustered.meanClustersPerToken());
        assertEquals(V, clustered.meanRowsPerToken());
        HeadReport report = HeadReport.measure(dense, clustered, x, T, C, Parallel.serial());
        assertEquals(1.0, report.top1Agreement());
        assertEquals(0.0, report.meanKl(), 1e-9);
        assertArrayEquals(bias, HeadRows.of(dense, C).bias());
    }

    @Test
    void memoryIsRouterIndexAndABoundedRowCache() {
        int V = 100, C = 8, K = 4;
        float[] w = randomRows(V, C, new Random(1));
        int[] clusterOf = new int[V];
        for (int v = 0; v < V; v++) clusterOf[v] = v % K;
        ClusterIndex index = ClusterIndex.of(clusterOf, K);
        Router router = RouterTrainer.initial(w, null, index, C);
        long fixed = 4L * (K * C + K) + 4L * (V + K + 1);
        ClusteredHead all = ClusteredHead.of(w, null, router, index, Selection.PAPER);
        // float32 rows, all cached: the table, the slot table, LRU links and a 64-row staging block
        assertEquals(fixed + 4L * V * C + 4L * V + 12L * V + 64 * 4L * C, all.residentBytes());
        assertEquals(fixed + 4L * V * C, all.memory().residentIfLoaded());

        ClusteredHead small = ClusteredHead.of(w, null, router, index, new Selection(0.5, 1, 1), RowPrecision.INT8, 30);
        long bound = fixed + 30L * C + 4L * V + 12L * 30 + 30L * C + 4L * V;
        assertEquals(bound, small.residentBytes(), "30 int8 rows, staging, bookkeeping and one scale per row");
        float[] x = new float[3 * C], out = new float[3 * V];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i);
        small.logits(x, 3, out, Parallel.serial());
        assertEquals(bound, small.residentBytes(), "reading rows does not grow what the head holds");
        var st = small.cacheStats();
        assertEquals(small.meanRowsPerToken() * 3, st.hits() + st.misses(), 1e-9, "every exact row goes through the cache");
        assertEquals(st.misses() * C, st.bytesRead());
        assertEquals((long) V * C + K * C + K, small.parameters());
    }

    @Test
    void aClusterLargerThanTheRowCacheIsReadOnceInCacheSizedStepsWithTheFullCachesLogits() {
        int V = 120, C = 8, K = 3, T = 4;
        Random r = new Random(9);
        float[] w = randomRows(V, C, r);
        int[] clusterOf = new int[V];
        for (int v = 0; v < V; v++) clusterOf[v] = v % K; // 40 rows per cluster
        ClusterIndex index = ClusterIndex.of(clusterOf, K);
        Router router = RouterTrainer.initial(w, null, index, C);
        Selection two = new Selection(1.0, 2, 2);
        ClusteredHead all = ClusteredHead.of(w, null, router, index, two, RowPrecision.INT8, V);
        ClusteredHead small = ClusteredHead.of(w, null, router, index, two, RowPrecision.INT8, 16);
        float[] x = randomRows(T, C, r), za = new float[T * V], zs = new float[T * V];
        all.logits(x, T, za, Parallel.serial());
        small.logits(x, T, zs, Parallel.serial());
        assertArrayEquals(za, zs, "a 16-row cache gives the logits of a cache holding every row");
        var st = small.cacheStats();
        assertEquals(80.0 * T, st.hits() + st.misses(), "two clusters of 40 rows per token, each row looked up once");
        assertEquals(80L * T, st.misses(), "16 rows never hold a 40-row cluster: every row is read, none twice");
    }
}
