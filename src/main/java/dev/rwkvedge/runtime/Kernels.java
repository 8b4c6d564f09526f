package dev.rwkvedge.runtime;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The hot loops: dot products of float32 weight rows (in native or mapped memory) with activations.
 * The batched form accumulates every dot in exactly the order of the single one, so sequence mode and serial mode
 * give bit-identical results. {@code -Drwkv.simd=false} switches to the scalar path.
 */
public final class Kernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final boolean SIMD = !"false".equals(System.getProperty("rwkv.simd")) && S.length() >= 4;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[S.length()]);

    private Kernels() {}

    /**
     * Lane sum in a fixed order. reduceLanes(ADD) may sum in another order once C2 intrinsifies it, which would
     * make the same dot differ between a cold and a warm call site (and serial differ from sequence mode).
     */
    static float hsum(FloatVector v) {
        float[] lanes = LANES.get();
        v.intoArray(lanes, 0);
        float s = 0;
        for (float f : lanes) s += f;
        return s;
    }

    public static boolean simd() {
        return SIMD;
    }

    /** sum_i w[off/4 + i] * x[xOff + i] for i < n; {@code off} in bytes. */
    public static float dot(MemorySegment w, long off, float[] x, int xOff, int n) {
        if (!SIMD) return dotScalar(w, off, x, xOff, n);
        int L = S.length();
        int upper = n - n % L;
        FloatVector acc = FloatVector.zero(S);
        for (int i = 0; i < upper; i += L) {
            FloatVector wv = FloatVector.fromMemorySegment(S, w, off + 4L * i, LE);
            acc = wv.fma(FloatVector.fromArray(S, x, xOff + i), acc);
        }
        float sum = hsum(acc);
        for (int i = upper; i < n; i++) sum += w.get(F, off + 4L * i) * x[xOff + i];
        return sum;
    }

    static float dotScalar(MemorySegment w, long off, float[] x, int xOff, int n) {
        float sum = 0;
        for (int i = 0; i < n; i++) sum += w.get(F, off + 4L * i) * x[xOff + i];
        return sum;
    }

    /**
     * For every t < T: y[yOff + t*yStride] = dot(row, x[t*n ..]). The weight row is read once per four tokens,
     * which is where sequence mode gets its speed.
     */
    public static void dotBatch(MemorySegment w, long off, float[] x, int n, int T, float[] y, int yOff, int yStride) {
        if (!SIMD) {
            for (int t = 0; t < T; t++) y[yOff + t * yStride] = dotScalar(w, off, x, t * n, n);
            return;
        }
        int L = S.length();
        int upper = n - n % L;
        int t = 0;
        for (; t + 4 <= T; t += 4) {
            int x0 = t * n, x1 = x0 + n, x2 = x1 + n, x3 = x2 + n;
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            for (int i = 0; i < upper; i += L) {
                FloatVector wv = FloatVector.fromMemorySegment(S, w, off + 4L * i, LE);
                a0 = wv.fma(FloatVector.fromArray(S, x, x0 + i), a0);
                a1 = wv.fma(FloatVector.fromArray(S, x, x1 + i), a1);
                a2 = wv.fma(FloatVector.fromArray(S, x, x2 + i), a2);
                a3 = wv.fma(FloatVector.fromArray(S, x, x3 + i), a3);
            }
            float s0 = hsum(a0), s1 = hsum(a1);
            float s2 = hsum(a2), s3 = hsum(a3);
            for (int i = upper; i < n; i++) {
                float wi = w.get(F, off + 4L * i);
                s0 += wi * x[x0 + i];
                s1 += wi * x[x1 + i];
                s2 += wi * x[x2 + i];
                s3 += wi * x[x3 + i];
            }
            y[yOff + t * yStride] = s0;
            y[yOff + (t + 1) * yStride] = s1;
            y[yOff + (t + 2) * yStride] = s2;
            y[yOff + (t + 3) * yStride] = s3;
        }
        for (; t < T; t++) y[yOff + t * yStride] = dot(w, off, x, t * n, n);
    }

    /** Dot of two heap vectors, in the same order as {@link #dot}. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int i = 0;
        float sum = 0;
        if (SIMD) {
            int L = S.length();
            int upper = n - n % L;
            FloatVector acc = FloatVector.zero(S);
            for (; i < upper; i += L) {
                acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
            }
            sum = hsum(acc);
        }
        for (; i < n; i++) sum += a[aOff + i] * b[bOff + i];
        return sum;
    }

    /** y[yOff..] = y * s + a * x (elementwise over n). */
    public static void scaleAddOuter(float[] y, int yOff, float[] s, int sOff, float a, float[] x, int xOff, int n) {
        int i = 0;
        if (SIMD) {
            int L = S.length();
            int upper = n - n % L;
            for (; i < upper; i += L) {
                FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
                FloatVector sv = FloatVector.fromArray(S, s, sOff + i);
                FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
                yv.mul(sv).add(xv.mul(a)).intoArray(y, yOff + i);
            }
        }
        for (; i < n; i++) y[yOff + i] = y[yOff + i] * s[sOff + i] + a * x[xOff + i];
    }
}
