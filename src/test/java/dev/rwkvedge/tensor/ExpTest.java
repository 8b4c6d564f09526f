package dev.rwkvedge.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Exp against StrictMath's correctly rounded-to-1-ulp exp in double, and its vector lanes against its scalar twin. */
class ExpTest {
    /** Distance in float ulps between a float and the exact value (double is exact enough at float's precision). */
    private static double ulps(float got, double exact) {
        float nearest = (float) exact;
        return Math.abs(got - exact) / Math.ulp(nearest);
    }

    @Test
    void withinTwoUlpOfStrictMathOverTheWholeRange() {
        double worst = 0;
        float worstAt = 0;
        for (float x = -103f; x <= 88.7f; x += 0.00731f) {
            double u = ulps(Exp.exp(x), StrictMath.exp(x));
            if (u > worst) {
                worst = u;
                worstAt = x;
            }
        }
        assertTrue(worst <= 2, "worst " + worst + " ulp at " + worstAt);
    }

    @Test
    void closedFormsAndEdges() {
        assertEquals(1f, Exp.exp(0f));
        assertEquals(1f, Exp.exp(-0f));
        assertEquals((float) Math.E, Exp.exp(1f), Math.ulp((float) Math.E));
        assertEquals(0f, Exp.exp(-200f));
        assertEquals(0f, Exp.exp(Float.NEGATIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, Exp.exp(89f));
        assertEquals(Float.POSITIVE_INFINITY, Exp.exp(Float.POSITIVE_INFINITY));
        assertTrue(Float.isNaN(Exp.exp(Float.NaN)));
        // the subnormals: exp(-100) = 3.72e-44, 26.6 times the smallest subnormal
        assertEquals(StrictMath.exp(-100), Exp.exp(-100f), Float.MIN_VALUE);
        // near multiples of ln 2, where k changes and 2^k is applied in two halves
        for (int k = -120; k <= 120; k += 7) {
            for (float a : new float[] {(float) (k * Math.log(2)), (float) ((k + 0.5) * Math.log(2))}) {
                assertTrue(ulps(Exp.exp(a), StrictMath.exp(a)) <= 2, "exp(" + a + ")");
            }
        }
        assertEquals(0.5f, Exp.sigmoid(0f));
        assertEquals((float) (1 / (1 + StrictMath.exp(-3.0))), Exp.sigmoid(3f), 2 * Math.ulp(1f));
    }

    @Test
    void vectorLanesGiveTheScalarBits() {
        SplittableRandom rnd = new SplittableRandom(10);
        int n = 4099;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextDouble() * 220 - 120);
        x[0] = Float.NaN;
        x[1] = Float.NEGATIVE_INFINITY;
        x[2] = Float.POSITIVE_INFINITY;
        x[3] = -0f;
        x[4] = 88.72f;
        x[5] = -87.5f;
        float[] out = new float[n];
        // many rounds, so that C2 compiles the vector path and its intrinsics are compared as well
        for (int round = 0; round < 200; round++) {
            Exp.exp(x, 0, out, 0, n);
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToIntBits(Exp.exp(x[i])), Float.floatToIntBits(out[i]), "exp(" + x[i] + ")");
            }
            float[] s = x.clone();
            Activations.sigmoid(s, 0, n);
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToIntBits(Exp.sigmoid(x[i])), Float.floatToIntBits(s[i]), "sigmoid(" + x[i] + ")");
            }
        }
    }
}
