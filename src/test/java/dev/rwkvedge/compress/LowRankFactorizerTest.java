package dev.rwkvedge.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.runtime.Int8Projection;
import dev.rwkvedge.runtime.LowRankProjection;
import dev.rwkvedge.runtime.Parallel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LowRankFactorizerTest {
    static final int OUT = 24, IN = 16;

    static float[] randomMatrix(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] m = new float[rows * cols];
        for (int i = 0; i < m.length; i++) m[i] = (float) (r.nextDouble() * 2 - 1);
        return m;
    }

    /** W' as a dense matrix, by applying the factored projection to the unit vectors. */
    static double[][] reconstruct(LowRankProjection p) {
        double[][] w = new double[p.outDim()][p.inDim()];
        float[] e = new float[p.inDim()], y = new float[p.outDim()];
        for (int c = 0; c < p.inDim(); c++) {
            java.util.Arrays.fill(e, 0);
            e[c] = 1;
            p.apply(e, y, Parallel.serial());
            for (int r = 0; r < p.outDim(); r++) w[r][c] = y[r];
        }
        return w;
    }

    @Test
    void plainTruncationErrorIsTheDiscardedSpectrum() {
        float[] w = randomMatrix(OUT, IN, 1);
        LowRankFactorizer f = LowRankFactorizer.plain(w, OUT, IN);
        for (int rank : new int[] {1, 4, 8, 15, 16}) {
            double[][] wr = reconstruct(f.factor(rank));
            double err = 0;
            for (int r = 0; r < OUT; r++) for (int c = 0; c < IN; c++) err += Math.pow(w[r * IN + c] - wr[r][c], 2);
            assertEquals(f.truncationError(rank), err, 1e-4 * (1 + f.truncationError(0)), "rank " + rank);
        }
        assertEquals(0, f.truncationError(IN), 1e-12);
    }

    @Test
    void whitenedTruncationErrorIsTheCalibrationOutputError() {
        float[] w = randomMatrix(OUT, IN, 2);
        int n = 200;
        // correlated inputs: x = A z with a fixed mixing matrix, so whitening matters
        float[] a = randomMatrix(IN, IN, 3);
        SplittableRandom r = new SplittableRandom(4);
        double[][] xs = new double[n][IN];
        double[] gram = new double[IN * IN];
        for (int t = 0; t < n; t++) {
            double[] z = new double[IN];
            for (int i = 0; i < IN; i++) z[i] = r.nextGaussian() * (i < 4 ? 3 : 0.3);
            for (int i = 0; i < IN; i++) {
                double s = 0;
                for (int j = 0; j < IN; j++) s += a[i * IN + j] * z[j];
                xs[t][i] = s;
            }
            for (int i = 0; i < IN; i++) for (int j = 0; j < IN; j++) gram[i * IN + j] += xs[t][i] * xs[t][j];
        }
        LowRankFactorizer whitened = LowRankFactorizer.whitened(w, OUT, IN, gram, 1e-12);
        LowRankFactorizer plain = LowRankFactorizer.plain(w, OUT, IN);
        for (int rank : new int[] {2, 6, 10}) {
            double errW = outputError(w, reconstruct(whitened.factor(rank)), xs);
            double errP = outputError(w, reconstruct(plain.factor(rank)), xs);
            assertEquals(whitened.truncationError(rank), errW, 1e-3 * whitened.truncationError(0), "rank " + rank);
            assertTrue(errW <= errP + 1e-9, "whitened must not be worse on its own calibration data");
        }
    }

    private static double outputError(float[] w, double[][] wr, double[][] xs) {
        double e = 0;
        for (double[] x : xs) {
            for (int r = 0; r < OUT; r++) {
                double d = 0;
                for (int c = 0; c < IN; c++) d += (w[r * IN + c] - wr[r][c]) * x[c];
                e += d * d;
            }
        }
        return e;
    }

    @Test
    void int8ErrorIsBoundedByHalfAStepAndKernelMatchesDequantizedWeights() {
        float[] w = randomMatrix(OUT, 37, 5);
        Int8Projection q = Int8Projection.quantize(w, OUT, 37);
        float[] dq = q.toArray();
        float[] s = q.scales();
        for (int r = 0; r < OUT; r++) {
            float amax = 0;
            for (int c = 0; c < 37; c++) amax = Math.max(amax, Math.abs(w[r * 37 + c]));
            assertEquals(amax / 127f, s[r], 0f);
            for (int c = 0; c < 37; c++) assertTrue(Math.abs(dq[r * 37 + c] - w[r * 37 + c]) <= s[r] / 2 + 1e-7);
        }
        float[] x = randomMatrix(3, 37, 6), y = new float[3 * OUT];
        q.applyBatch(x, y, 3, Parallel.serial());
        for (int t = 0; t < 3; t++) {
            for (int r = 0; r < OUT; r++) {
                double ref = 0;
                for (int c = 0; c < 37; c++) ref += (double) dq[r * 37 + c] * x[t * 37 + c];
                assertEquals(ref, y[t * OUT + r], 1e-5);
            }
        }
    }
}
