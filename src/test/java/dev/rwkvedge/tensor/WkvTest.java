package dev.rwkvedge.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The WKV kernels against the recurrences written out in double, and lanes against the scalar tail. */
class WkvTest {
    private static float[] random(SplittableRandom rnd, int n, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (lo + rnd.nextDouble() * (hi - lo));
        return a;
    }

    /**
     * RWKV-4 without the stabilisation: A and B are the decayed sums of e^k v and e^k, wkv = (A + e^(u+k) v) /
     * (B + e^(u+k)), which double holds without overflow at these sizes.
     */
    @Test
    void v4FollowsTheUnstabilisedRecurrenceInDouble() {
        int C = 2 * Simd.LANES + 5, T = 40;
        SplittableRandom rnd = new SplittableRandom(4);
        float[] first = random(rnd, C, -1, 1), decay = random(rnd, C, -2, -0.01);
        float[] aa = new float[C], bb = new float[C], pp = new float[C], y = new float[T * C], e = new float[5 * C];
        java.util.Arrays.fill(pp, -1e30f);
        float[] k = random(rnd, T * C, -3, 3), v = random(rnd, T * C, -2, 2), r = random(rnd, T * C, -4, 4);
        for (int t = 0; t < T; t++) Wkv.v4(k, v, r, t * C, first, decay, aa, bb, pp, y, C, e);
        for (int c = 0; c < C; c++) {
            double A = 0, B = 0;
            for (int t = 0; t < T; t++) {
                int i = t * C + c;
                double eu = Math.exp(first[c] + k[i]);
                double want = (A + eu * v[i]) / (B + eu) / (1 + Math.exp(-r[i]));
                assertEquals(want, y[i], 2e-6 * Math.max(1, Math.abs(want)), "token " + t + " channel " + c);
                A = Math.exp(decay[c]) * A + Math.exp(k[i]) * v[i];
                B = Math.exp(decay[c]) * B + Math.exp(k[i]);
            }
        }
    }

    /** A channel computed in the vector lanes gives the bits it gives in the scalar tail. */
    @Test
    void v4ChannelDoesNotDependOnItsPlace() {
        int L = Simd.LANES, C = L + 1;
        SplittableRandom rnd = new SplittableRandom(5);
        float[] first = random(rnd, C, -1, 1), decay = random(rnd, C, -2, -0.01);
        float[] k = random(rnd, 8 * C, -3, 3), v = random(rnd, 8 * C, -2, 2), r = random(rnd, 8 * C, -4, 4);
        float[] aa = new float[C], bb = new float[C], pp = new float[C], y = new float[8 * C], e = new float[5 * C];
        java.util.Arrays.fill(pp, -1e30f);
        // the same channel's inputs at index 0 (a lane) and at index L (the tail)
        first[L] = first[0];
        decay[L] = decay[0];
        for (int t = 0; t < 8; t++) {
            k[t * C + L] = k[t * C];
            v[t * C + L] = v[t * C];
            r[t * C + L] = r[t * C];
        }
        for (int round = 0; round < 3000; round++) {
            for (int t = 0; t < 8; t++) {
                Wkv.v4(k, v, r, t * C, first, decay, aa, bb, pp, y, C, e);
                assertEquals(Float.floatToIntBits(y[t * C]), Float.floatToIntBits(y[t * C + L]), "token " + t);
            }
            assertEquals(Float.floatToIntBits(aa[0]), Float.floatToIntBits(aa[L]));
            assertEquals(Float.floatToIntBits(pp[0]), Float.floatToIntBits(pp[L]));
        }
    }
}
