package dev.rwkvedge.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 kernels every storage type reduces to, and the one accumulation order they share: a row is cut into
 * chunks of {@link #LANES} from its start, each chunk's products fused into one vector accumulator, the lanes summed
 * by {@link #hsum}, then the leftover elements added one by one. A packed row widened in registers and the same row
 * widened into memory by {@link Dequant} therefore give the same bits, which keeps sequence mode (widen once, tile)
 * equal to serial mode (widen on the fly). {@code -Drwkv.simd=false} switches every kernel to its scalar twin.
 */
public final class Simd {
    public static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    public static final int LANES = S.length();
    /** Bytes whose first LANES lanes widen lane for lane into {@link #S} (at least the smallest shape). */
    static final VectorSpecies<Byte> BYTES =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, LANES * 8)));
    public static final boolean ON = !"false".equals(System.getProperty("rwkv.simd")) && LANES >= 4;

    static {
        if (ON) KernelCompilation.install(); // before any kernel runs hot
    }
    static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** Shuffles i -> i + h (wrapping) for h = L/2 .. 1, each its own constant so C2 keeps them in registers. */
    private static final VectorShuffle<Float> FOLD1 = fold(1), FOLD2 = fold(2), FOLD3 = fold(3), FOLD4 = fold(4);

    private static VectorShuffle<Float> fold(int level) {
        int h = LANES >> level;
        return VectorShuffle.iota(S, Math.max(h, 1), 1, true);
    }

    private Simd() {}

    /**
     * Lane sum in a fixed pairwise order (halves, quarters, ...). reduceLanes(ADD) may sum in another order once C2
     * intrinsifies it, which would make the same dot differ between a cold and a warm call site (and serial differ
     * from sequence mode); lane-wise adds and shuffles give the same bits either way.
     */
    public static float hsum(FloatVector v) {
        if (LANES >= 16) v = v.add(v.rearrange(FOLD1));
        if (LANES >= 8) v = v.add(v.rearrange(LANES >= 16 ? FOLD2 : FOLD1));
        if (LANES >= 4) v = v.add(v.rearrange(LANES >= 16 ? FOLD3 : LANES >= 8 ? FOLD2 : FOLD1));
        v = v.add(v.rearrange(LANES >= 16 ? FOLD4 : LANES >= 8 ? FOLD3 : FOLD2));
        return v.lane(0);
    }

    /** {@link #hsum}'s pairwise order on lanes stored in an array (float addition commutes exactly). */
    public static float treeSum(float[] a, int off) {
        for (int h = LANES / 2; h >= 1; h /= 2) {
            for (int i = 0; i < h; i++) a[off + i] = a[off + i] + a[off + i + h];
        }
        return a[off];
    }

    /** sum_i w[off/4 + i] * x[xOff + i] for i < n over float32 in memory; {@code off} in bytes. */
    public static float dot(MemorySegment w, long off, float[] x, int xOff, int n) {
        if (!ON) return dotScalar(w, off, x, xOff, n);
        int upper = n - n % LANES;
        FloatVector acc = FloatVector.zero(S);
        for (int i = 0; i < upper; i += LANES) {
            FloatVector wv = FloatVector.fromMemorySegment(S, w, off + 4L * i, LE);
            acc = wv.fma(FloatVector.fromArray(S, x, xOff + i), acc);
        }
        float sum = hsum(acc);
        for (int i = upper; i < n; i++) sum += w.get(F, off + 4L * i) * x[xOff + i];
        return sum;
    }

    /**
     * The scalar twin. It sums in double: without vector lanes a float sum runs the whole row in one chain, whose
     * rounding error grows with the row length; a double sum keeps the fallback at least as exact as the lanes.
     */
    public static float dotScalar(MemorySegment w, long off, float[] x, int xOff, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) sum += (double) w.get(F, off + 4L * i) * x[xOff + i];
        return (float) sum;
    }

    /** Dot of two heap vectors, in the order of {@link #dot(MemorySegment, long, float[], int, int)}. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        if (!ON) {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += (double) a[aOff + i] * b[bOff + i];
            return (float) sum;
        }
        int upper = n - n % LANES;
        FloatVector acc = FloatVector.zero(S);
        for (int i = 0; i < upper; i += LANES) {
            acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
        }
        float sum = hsum(acc);
        for (int i = upper; i < n; i++) sum += a[aOff + i] * b[bOff + i];
        return sum;
    }

    /**
     * The sum of the float32 values in [from, to) bytes of m (a multiple of 64 bytes apart), read front to back with
     * four independent vector adds per step: nothing but loads, so it runs at the memory's read bandwidth once the
     * region is larger than the caches (the bandwidth probe).
     */
    public static float streamSum(MemorySegment m, long from, long to) {
        long step = 16L * LANES;
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        long o = from;
        for (; o + step <= to; o += step) {
            a0 = a0.add(FloatVector.fromMemorySegment(S, m, o, LE));
            a1 = a1.add(FloatVector.fromMemorySegment(S, m, o + 4L * LANES, LE));
            a2 = a2.add(FloatVector.fromMemorySegment(S, m, o + 8L * LANES, LE));
            a3 = a3.add(FloatVector.fromMemorySegment(S, m, o + 12L * LANES, LE));
        }
        float sum = hsum(a0.add(a1).add(a2.add(a3)));
        for (; o < to; o += 4) sum += m.get(F, o);
        return sum;
    }

    /**
     * Four rows at once, one activation: out[yi] = dot(row at oi, x), each in exactly {@link #dot}'s order. Four
     * independent accumulators keep the multiply-add pipes busy while four streams run through memory. Rows may
     * repeat (a short last group repeats its last row).
     */
    static void dot4(MemorySegment w, long o0, long o1, long o2, long o3, float[] x, int xOff, int n, float[] y,
                     int y0, int y1, int y2, int y3) {
        int upper = n - n % LANES;
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        for (int i = 0; i < upper; i += LANES) {
            long b = 4L * i;
            FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
            a0 = FloatVector.fromMemorySegment(S, w, o0 + b, LE).fma(xv, a0);
            a1 = FloatVector.fromMemorySegment(S, w, o1 + b, LE).fma(xv, a1);
            a2 = FloatVector.fromMemorySegment(S, w, o2 + b, LE).fma(xv, a2);
            a3 = FloatVector.fromMemorySegment(S, w, o3 + b, LE).fma(xv, a3);
        }
        float s0 = hsum(a0), s1 = hsum(a1), s2 = hsum(a2), s3 = hsum(a3);
        for (int i = upper; i < n; i++) {
            float xi = x[xOff + i];
            long b = 4L * i;
            s0 += w.get(F, o0 + b) * xi;
            s1 += w.get(F, o1 + b) * xi;
            s2 += w.get(F, o2 + b) * xi;
            s3 += w.get(F, o3 + b) * xi;
        }
        y[y0] = s0;
        y[y1] = s1;
        y[y2] = s2;
        y[y3] = s3;
    }

    /** {@link #dot4} over rows held in a heap array (widened rows); offsets in floats. */
    static void dot4(float[] w, int o0, int o1, int o2, int o3, float[] x, int xOff, int n, float[] y,
                     int y0, int y1, int y2, int y3) {
        int upper = n - n % LANES;
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        for (int i = 0; i < upper; i += LANES) {
            FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
            a0 = FloatVector.fromArray(S, w, o0 + i).fma(xv, a0);
            a1 = FloatVector.fromArray(S, w, o1 + i).fma(xv, a1);
            a2 = FloatVector.fromArray(S, w, o2 + i).fma(xv, a2);
            a3 = FloatVector.fromArray(S, w, o3 + i).fma(xv, a3);
        }
        float s0 = hsum(a0), s1 = hsum(a1), s2 = hsum(a2), s3 = hsum(a3);
        for (int i = upper; i < n; i++) {
            float xi = x[xOff + i];
            s0 += w[o0 + i] * xi;
            s1 += w[o1 + i] * xi;
            s2 += w[o2 + i] * xi;
            s3 += w[o3 + i] * xi;
        }
        y[y0] = s0;
        y[y1] = s1;
        y[y2] = s2;
        y[y3] = s3;
    }

    /**
     * A 4 rows x 4 tokens tile: res[4 r + t] = dot(row at o_r, x[xt_t ..]). Each weight and activation vector loaded
     * feeds four multiply-adds, and every dot keeps {@link #dot}'s order. Rows and tokens may repeat.
     * {@code lanes} holds 16 * LANES floats.
     */
    static void tile4x4(MemorySegment w, long o0, long o1, long o2, long o3, float[] x, int x0, int x1, int x2, int x3,
                        int n, float[] res, float[] lanes) {
        int upper = n - n % LANES;
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
        for (int i = 0; i < upper; i += LANES) {
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
        int L = LANES;
        c00.intoArray(lanes, 0);
        c01.intoArray(lanes, L);
        c02.intoArray(lanes, 2 * L);
        c03.intoArray(lanes, 3 * L);
        c10.intoArray(lanes, 4 * L);
        c11.intoArray(lanes, 5 * L);
        c12.intoArray(lanes, 6 * L);
        c13.intoArray(lanes, 7 * L);
        c20.intoArray(lanes, 8 * L);
        c21.intoArray(lanes, 9 * L);
        c22.intoArray(lanes, 10 * L);
        c23.intoArray(lanes, 11 * L);
        c30.intoArray(lanes, 12 * L);
        c31.intoArray(lanes, 13 * L);
        c32.intoArray(lanes, 14 * L);
        c33.intoArray(lanes, 15 * L);
        for (int k = 0; k < 16; k++) res[k] = treeSum(lanes, k * L);
        if (upper == n) return;
        for (int r = 0; r < 4; r++) {
            long o = r == 0 ? o0 : r == 1 ? o1 : r == 2 ? o2 : o3;
            for (int t = 0; t < 4; t++) {
                int xo = t == 0 ? x0 : t == 1 ? x1 : t == 2 ? x2 : x3;
                float sum = res[4 * r + t];
                for (int i = upper; i < n; i++) sum += w.get(F, o + 4L * i) * x[xo + i];
                res[4 * r + t] = sum;
            }
        }
    }
}
