package dev.rwkvedge.runtime;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The hot loops: dot products of float32 weight rows (in native or mapped memory) with activations.
 * The batched form accumulates every dot in exactly the order of the single one, so sequence mode and serial mode
 * give bit-identical results. {@code -Drwkv.simd=false} switches to the scalar path.
 */
public final class Kernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Bytes in the shape that widens lane for lane into {@link #S}. */
    static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class, VectorShape.forBitSize(S.length() * 8));
    static final boolean SIMD = !"false".equals(System.getProperty("rwkv.simd")) && S.length() >= 4;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private static final int LANES = S.length();
    /** Shuffles i -> i + h (wrapping) for h = L/2 .. 1, each its own constant so C2 keeps them in registers. */
    private static final VectorShuffle<Float> FOLD1 = fold(1), FOLD2 = fold(2), FOLD3 = fold(3), FOLD4 = fold(4);

    private static VectorShuffle<Float> fold(int level) {
        int h = LANES >> level;
        return VectorShuffle.iota(S, Math.max(h, 1), 1, true);
    }

    private Kernels() {}

    public static boolean simd() {
        return SIMD;
    }

    /**
     * Lane sum in a fixed pairwise order (halves, quarters, ...). reduceLanes(ADD) may sum in another order once C2
     * intrinsifies it, which would make the same dot differ between a cold and a warm call site (and serial differ
     * from sequence mode); lane-wise adds and shuffles give the same bits either way.
     */
    static float hsum(FloatVector v) {
        if (LANES >= 16) v = v.add(v.rearrange(FOLD1));
        if (LANES >= 8) v = v.add(v.rearrange(LANES >= 16 ? FOLD2 : FOLD1));
        if (LANES >= 4) v = v.add(v.rearrange(LANES >= 16 ? FOLD3 : LANES >= 8 ? FOLD2 : FOLD1));
        v = v.add(v.rearrange(LANES >= 16 ? FOLD4 : LANES >= 8 ? FOLD3 : FOLD2));
        return v.lane(0);
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

    /**
     * A 4 rows x 4 tokens tile: y[(t0+j)*yStride + r0+i] = dot(row r0+i, x row t0+j). Each weight and activation
     * vector loaded feeds four multiply-adds, and every dot keeps the accumulation order of {@link #dot}.
     */
    public static void dot4x4(MemorySegment w, long off, long rowBytes, float[] x, int n, int t0, float[] y, int r0,
                              int yStride, float[] scratch) {
        int L = S.length();
        int upper = n - n % L;
        long o0 = off, o1 = off + rowBytes, o2 = o1 + rowBytes, o3 = o2 + rowBytes;
        int x0 = t0 * n, x1 = x0 + n, x2 = x1 + n, x3 = x2 + n;
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
        for (int i = 0; i < upper; i += L) {
            long b = 4L * i;
            FloatVector w0 = FloatVector.fromMemorySegment(S, w, o0 + b, LE);
            FloatVector w1 = FloatVector.fromMemorySegment(S, w, o1 + b, LE);
            FloatVector w2 = FloatVector.fromMemorySegment(S, w, o2 + b, LE);
            FloatVector w3 = FloatVector.fromMemorySegment(S, w, o3 + b, LE);
            FloatVector xv = FloatVector.fromArray(S, x, x0 + i);
            c00 = w0.fma(xv, c00);
            c10 = w1.fma(xv, c10);
            c20 = w2.fma(xv, c20);
            c30 = w3.fma(xv, c30);
            xv = FloatVector.fromArray(S, x, x1 + i);
            c01 = w0.fma(xv, c01);
            c11 = w1.fma(xv, c11);
            c21 = w2.fma(xv, c21);
            c31 = w3.fma(xv, c31);
            xv = FloatVector.fromArray(S, x, x2 + i);
            c02 = w0.fma(xv, c02);
            c12 = w1.fma(xv, c12);
            c22 = w2.fma(xv, c22);
            c32 = w3.fma(xv, c32);
            xv = FloatVector.fromArray(S, x, x3 + i);
            c03 = w0.fma(xv, c03);
            c13 = w1.fma(xv, c13);
            c23 = w2.fma(xv, c23);
            c33 = w3.fma(xv, c33);
        }
        // sixteen lane sums would not inline: store the accumulators and sum each in hsum's exact order
        int L4 = 4 * L;
        c00.intoArray(scratch, 0);
        c01.intoArray(scratch, L);
        c02.intoArray(scratch, 2 * L);
        c03.intoArray(scratch, 3 * L);
        c10.intoArray(scratch, L4);
        c11.intoArray(scratch, L4 + L);
        c12.intoArray(scratch, L4 + 2 * L);
        c13.intoArray(scratch, L4 + 3 * L);
        c20.intoArray(scratch, 2 * L4);
        c21.intoArray(scratch, 2 * L4 + L);
        c22.intoArray(scratch, 2 * L4 + 2 * L);
        c23.intoArray(scratch, 2 * L4 + 3 * L);
        c30.intoArray(scratch, 3 * L4);
        c31.intoArray(scratch, 3 * L4 + L);
        c32.intoArray(scratch, 3 * L4 + 2 * L);
        c33.intoArray(scratch, 3 * L4 + 3 * L);
        long[] ro = {o0, o1, o2, o3};
        int[] xo = {x0, x1, x2, x3};
        for (int r = 0; r < 4; r++) {
            for (int t = 0; t < 4; t++) {
                float sum = treeSum(scratch, r * L4 + t * L);
                for (int i = upper; i < n; i++) sum += w.get(F, ro[r] + 4L * i) * x[xo[t] + i];
                y[(t0 + t) * yStride + r0 + r] = sum;
            }
        }
    }

    /** Scratch space {@link #dot4x4} needs. */
    public static float[] tileScratch() {
        return new float[16 * LANES];
    }

    /** {@link #hsum}'s pairwise order on lanes stored in an array (float addition commutes exactly). */
    private static float treeSum(float[] a, int off) {
        for (int h = LANES / 2; h >= 1; h /= 2) {
            for (int i = 0; i < h; i++) a[off + i] = a[off + i] + a[off + i + h];
        }
        return a[off];
    }

    /** sum_i q[off + i] * x[xOff + i] over int8 weights; the caller applies the row scale. */
    public static float dotI8(MemorySegment q, long off, float[] x, int xOff, int n) {
        int i = 0;
        float sum = 0;
        if (SIMD) {
            int L = S.length();
            int upper = n - n % L;
            FloatVector acc = FloatVector.zero(S);
            for (; i < upper; i += L) {
                ByteVector b = ByteVector.fromMemorySegment(BYTES, q, off + i, LE);
                FloatVector f = (FloatVector) b.convertShape(VectorOperators.B2F, S, 0);
                acc = f.fma(FloatVector.fromArray(S, x, xOff + i), acc);
            }
            sum = hsum(acc);
        }
        for (; i < n; i++) sum += q.get(ValueLayout.JAVA_BYTE, off + i) * x[xOff + i];
        return sum;
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
