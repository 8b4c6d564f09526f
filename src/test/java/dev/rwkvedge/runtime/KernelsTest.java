package dev.rwkvedge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The kernels against a double-precision dot, and the tiled and single forms against each other, bit for bit. */
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
    void vectorAndScalarDotsAgreeWithDouble(int n) {
        float[] w = random(4 * n, n), x = random(4 * n, n + 1);
        MemorySegment seg = weights(w);
        for (int t = 0; t < 4; t++) {
            double ref = 0;
            for (int i = 0; i < n; i++) ref += (double) w[n + i] * x[t * n + i];
            double tol = 1e-5 * Math.sqrt(n);
            assertEquals(ref, Kernels.dot(seg, 4L * n, x, t * n, n), tol);
            assertEquals(ref, Kernels.dotScalar(seg, 4L * n, x, t * n, n), tol);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 33, 64, 192, 768})
    void tilesEqualSingleDotsBitForBit(int n) {
        int rows = 8, T = 8;
        float[] w = random(rows * n, 3 * n), x = random(T * n, 5 * n);
        MemorySegment seg = weights(w);
        float[] tiled = new float[T * rows], batch = new float[T * rows];
        if (Kernels.simd()) {
            float[] scratch = Kernels.tileScratch();
            for (int r0 = 0; r0 < rows; r0 += 4) {
                for (int t = 0; t < T; t += 4) Kernels.dot4x4(seg, 4L * r0 * n, 4L * n, x, n, t, tiled, r0, rows, scratch);
            }
        }
        for (int r = 0; r < rows; r++) Kernels.dotBatch(seg, 4L * r * n, x, n, T, batch, r, rows);
        for (int t = 0; t < T; t++) {
            for (int r = 0; r < rows; r++) {
                float single = Kernels.dot(seg, 4L * r * n, x, t * n, n);
                if (Kernels.simd()) assertEquals(Float.floatToIntBits(single), Float.floatToIntBits(tiled[t * rows + r]));
                assertEquals(Float.floatToIntBits(single), Float.floatToIntBits(batch[t * rows + r]));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 16, 40, 192})
    void int8DotMatchesItsScalarDefinition(int n) {
        SplittableRandom r = new SplittableRandom(n);
        MemorySegment q = Arena.ofAuto().allocate(n);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (r.nextInt(255) - 127);
            q.set(ValueLayout.JAVA_BYTE, i, b[i]);
        }
        float[] x = random(n, 9);
        double ref = 0;
        for (int i = 0; i < n; i++) ref += b[i] * (double) x[i];
        assertEquals(ref, Kernels.dotI8(q, 0, x, 0, n), 1e-4 * Math.sqrt(n));
    }
}
