package dev.rwkvedge.compress.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OneBitPredictorTest {

    static float[] gaussian(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }

    /** The table lookup must give scale_j * sum_i sign(K_ji) x_i; 37 inputs leave a partial last group. */
    @Test
    void scoresAreScaledSignDots() {
        int F = 50, D = 37;
        SplittableRandom rnd = new SplittableRandom(3);
        float[] k = gaussian(rnd, F * D), x = gaussian(rnd, D);
        float[] u = OneBitPredictor.of(k, F, D, 0.5).scores(x, 0);
        for (int j = 0; j < F; j++) {
            double abs = 0, dot = 0;
            for (int i = 0; i < D; i++) {
                abs += Math.abs(k[j * D + i]);
                dot += (k[j * D + i] >= 0 ? 1 : -1) * x[i];
            }
            assertEquals(abs / D * dot, u[j], 1e-4);
        }
        assertEquals(F * 5 + 4 * F, OneBitPredictor.of(k, F, D, 0.5).residentBytes());
    }

    /** The vector path sums each group's bits in the table's order: the same scores bit for bit, tail included. */
    @Test
    void vectorScoresEqualTheTablesBitForBit() {
        int F = 771, D = 190; // neither a whole number of vectors nor of 8-input groups
        SplittableRandom rnd = new SplittableRandom(5);
        float[] k = gaussian(rnd, F * D), x = gaussian(rnd, D + 3);
        OneBitPredictor p = OneBitPredictor.of(k, F, D, 0.9);
        assertArrayEquals(p.tableScores(x, 3), p.scores(x, 3));
    }

    /** Predicted sparsity is p by construction, and the chosen neurons are the top scores. */
    @Test
    void keepsTheTopOneMinusPFraction() {
        int F = 100, D = 24;
        SplittableRandom rnd = new SplittableRandom(4);
        float[] k = gaussian(rnd, F * D);
        for (double p : new double[] {0, 0.05, 0.333, 0.8, 0.95, 1}) {
            OneBitPredictor pred = OneBitPredictor.of(k, F, D, p);
            for (int trial = 0; trial < 20; trial++) {
                float[] x = gaussian(rnd, D);
                boolean[] mask = pred.mask(x, 0);
                int n = 0;
                for (boolean b : mask) n += b ? 1 : 0;
                assertEquals(F - Math.round(p * F), n, "p " + p);
                float[] u = pred.scores(x, 0);
                float minIn = Float.POSITIVE_INFINITY, maxOut = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < F; j++) {
                    if (mask[j]) minIn = Math.min(minIn, u[j]);
                    else maxOut = Math.max(maxOut, u[j]);
                }
                assertTrue(n == 0 || n == F || minIn >= maxOut, "p " + p);
            }
        }
    }

    @Test
    void kthLargestAgreesWithSortingIncludingTies() {
        SplittableRandom rnd = new SplittableRandom(9);
        for (int trial = 0; trial < 200; trial++) assertKthLargestIsSortingsPick(rnd, 60, () -> rnd.nextInt(8));
    }

    @Test
    void kthLargestAgreesWithSortingOnSignedScoresAndZerosOfBothSigns() {
        SplittableRandom rnd = new SplittableRandom(10);
        for (int trial = 0; trial < 100; trial++) {
            assertKthLargestIsSortingsPick(rnd, 800, () -> {
                int kind = rnd.nextInt(10);
                return kind == 0 ? 0f : kind == 1 ? -0f : (float) (rnd.nextGaussian() * Math.exp(rnd.nextInt(20) - 10));
            });
        }
    }

    /** Up to maxN values, a random k: the k-th largest is what sorting puts at n - k, and the values stay as they were. */
    private static void assertKthLargestIsSortingsPick(SplittableRandom rnd, int maxN,
                                                       java.util.function.DoubleSupplier value) {
        int n = 1 + rnd.nextInt(maxN);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) value.getAsDouble();
        float[] sorted = a.clone(), before = a.clone();
        Arrays.sort(sorted);
        int k = 1 + rnd.nextInt(n);
        assertEquals(sorted[n - k], TopK.kthLargest(a, k));
        assertArrayEquals(before, a, "the scores are left as they were");
    }

    /** On a real layer: p = 0 misses nothing, and the active sets shrink as p grows, so recall cannot rise. */
    @Test
    void recallFallsWithPOnRealSamples() throws Exception {
        LayerSamples s = TinyModels.samples(TinyModels.V7).get(1);
        int[] rows = s.split(0.2, 42).validation();
        try (var m = TinyModels.open(TinyModels.V7)) {
            OneBitPredictor pred = OneBitPredictor.of(TinyModels.keyWeights(m, 1), s.neurons(), s.inputs(), 0.9);
            List<PredictorReport.SweepPoint> sweep = PredictorReport.thresholdSweep(pred, s, rows, 0, 0.2, 0.5, 0.8, 0.95);
            assertEquals(1.0, sweep.get(0).recall());
            for (int i = 0; i < sweep.size(); i++) {
                double p = sweep.get(i).threshold();
                assertEquals(Math.round(p * s.neurons()) / (double) s.neurons(), sweep.get(i).predictedSparsity(), 1e-12);
                if (i > 0) assertTrue(sweep.get(i).recall() <= sweep.get(i - 1).recall(), sweep.toString());
            }
            // Better than chance: at p = 0.5 a random half would catch half of the active neurons.
            assertTrue(sweep.get(2).recall() > 0.6, sweep.toString());
            System.out.println("1-bit sweep (v7 layer 1): " + sweep);
        }
    }

    /** The ensemble's set is exactly the union of its members' sets. */
    @Test
    void ensembleIsTheUnion() {
        int F = 64, D = 16;
        SplittableRandom rnd = new SplittableRandom(11);
        float[] k = gaussian(rnd, F * D);
        MlpPredictor mlp = new MlpPredictor(D, 8, F, gaussian(rnd, 8 * D), gaussian(rnd, 8 * F), 0.6);
        OneBitPredictor one = OneBitPredictor.of(k, F, D, 0.7);
        EnsemblePredictor both = new EnsemblePredictor(mlp, one);
        for (int trial = 0; trial < 50; trial++) {
            float[] x = gaussian(rnd, D);
            boolean[] a = mlp.mask(x, 0), b = one.mask(x, 0), expected = new boolean[F];
            for (int j = 0; j < F; j++) expected[j] = a[j] || b[j];
            assertArrayEquals(expected, both.mask(x, 0));
            int[][] batch = both.predictBatch(x, 1);
            int[] idx = new int[F];
            assertArrayEquals(Arrays.copyOf(idx, both.predict(x, 0, idx)), batch[0]);
        }
        assertEquals(mlp.residentBytes() + one.residentBytes(), both.residentBytes());
    }
}
