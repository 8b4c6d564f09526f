package dev.rwkvedge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The runtime's float32 kernels against double-precision and element-by-element definitions. */
class KernelsTest {
    static MemorySegment weights(float[] w) {
        MemorySegment seg = Arena.ofAuto().allocate(4L * w.length, 64);
        MemorySegment.copy(w, 0, seg, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, w.length);
        return seg;
    }

    static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextDouble() * 2 - 1);
        return a;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 16, 33, 64, 100, 768})
    void dotsAgreeWithDouble(int n) {
        float[] w = random(4 * n, n), x = random(4 * n, n + 1);
        MemorySegment seg = weights(w);
        for (int t = 0; t < 4; t++) {
            double ref = 0, magnitude = 0;
            for (int i = 0; i < n; i++) {
                ref += (double) w[n + i] * x[t * n + i];
                magnitude += Math.abs((double) w[n + i] * x[t * n + i]);
            }
            double bound = (n + 1) * 0x1p-24 * magnitude;
            float mapped = Kernels.dot(seg, 4L * n, x, t * n, n);
            assertEquals(ref, mapped, bound);
            assertEquals(Float.floatToIntBits(mapped), Float.floatToIntBits(Kernels.dot(w, n, x, t * n, n)),
                    "heap and memory dots share one order");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 16, 40, 192})
    void axpyIsOneFusedMultiplyAddPerElement(int n) {
        float[] x = random(n, 2), y = random(n, 3), expected = new float[n];
        float a = 0.37f;
        for (int i = 0; i < n; i++) expected[i] = Math.fma(a, x[i], y[i]);
        Kernels.axpy(a, x, 0, y, 0, n);
        for (int i = 0; i < n; i++) assertEquals(expected[i], y[i], 0f, "element " + i);
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 16, 40})
    void fourRowFormsMatchTheirDefinitions(int n) {
        float[] w = random(n, 4), h = {0.5f, -1.25f, 0f, 2f}, z = random(4 * n, 6), z0 = z.clone();
        Kernels.axpy4(w, 0, h, z, n);
        for (int b = 0; b < 4; b++) {
            for (int j = 0; j < n; j++) assertEquals(z0[b * n + j] + (double) h[b] * w[j], z[b * n + j], 1e-6);
        }
        float[] g = new float[n], dots = new float[4];
        Kernels.dotsAndOuter4(w, 0, z, n, h, g, dots);
        for (int b = 0; b < 4; b++) {
            double d = 0;
            for (int j = 0; j < n; j++) d += (double) w[j] * z[b * n + j];
            assertEquals(d, dots[b], 1e-5 * n);
        }
        for (int j = 0; j < n; j++) {
            double e = 0;
            for (int b = 0; b < 4; b++) e += (double) h[b] * z[b * n + j];
            assertEquals(e, g[j], 1e-5);
        }
    }

    /** The predictor trainer's gradient is the double-precision sigmoid formula exactly, cold or warm. */
    @org.junit.jupiter.api.Test
    void bceGradientIsTheScalarFormulaOnEveryCall() {
        int n = 64;
        float[] y = new float[n];
        for (int i = 0; i < n; i += 3) y[i] = 1;
        for (int call = 0; call < 20_000; call++) {
            float[] z = random(n, call % 7), expected = new float[n];
            for (int j = 0; j < n; j++) {
                float p = (float) (1.0 / (1.0 + Math.exp(-z[j])));
                expected[j] = (p * (1 + y[j] * (3f - 1)) - y[j] * 3f) * 0.5f;
            }
            Kernels.weightedBceGradient(z, 0, y, 0, n, 3f, 0.5f);
            if (call % 1000 == 0 || call == 19_999) org.junit.jupiter.api.Assertions.assertArrayEquals(expected, z, "call " + call);
        }
    }
}
