package dev.rwkvedge.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * A (rows x cols) weight matrix kept in its stored form, usually the mapped file itself: one subclass per storage
 * type, each with a vector kernel that widens the packed bytes in registers (as llama3.java's FloatTensor subclasses
 * do) and the scalar twin {@code -Drwkv.simd=false} selects. Every kernel multiplies exactly the floats
 * {@link Dequant} would produce, in {@link Simd}'s order, so a dot over the packed row equals the float32 dot over
 * its widened copy bit for bit. Nothing is widened when the matrix is made.
 */
public abstract sealed class PackedMatrix implements StoredMatrix
        permits F32Matrix, F16Matrix, BF16Matrix, Q8_0Matrix, Q4_0Matrix, Q4_1Matrix, Q5_0Matrix, Q5_1Matrix,
        Q4_KMatrix, I8Matrix {
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    static final int L = Simd.LANES;
    /** With 4 lanes a byte vector is still 8 bytes long: load only its first four so no read passes a block. */
    static final VectorMask<Byte> FIRST_LANES = VectorMask.fromLong(Simd.BYTES, (1L << Math.min(L, 8)) - 1);

    final MemorySegment data;
    final DType type;
    final int rows, cols;
    final long rowBytes;
    /** Per-row factors applied after the dot (our int8), or null. */
    final float[] scales;

    PackedMatrix(MemorySegment data, DType type, int rows, int cols, float[] scales) {
        if (cols % type.blockSize != 0) {
            throw new IllegalArgumentException(type + " rows of " + cols + " are not whole blocks of "
                    + type.blockSize);
        }
        this.rowBytes = type.byteSize(cols);
        if (data.byteSize() != rowBytes * rows) {
            throw new IllegalArgumentException(rows + "x" + cols + " " + type + " needs " + rowBytes * rows
                    + " bytes, got " + data.byteSize());
        }
        this.data = data;
        this.type = type;
        this.rows = rows;
        this.cols = cols;
        this.scales = scales;
    }

    /** The matrix over a rank-2 tensor's own bytes (copied off the heap when the tensor lives there). */
    public static PackedMatrix of(Tensor t) {
        if (t.rank() != 2) throw new IllegalArgumentException(t.name() + ": expected a matrix, got " + t.shapeString());
        int rows = Math.toIntExact(t.shape()[0]), cols = Math.toIntExact(t.shape()[1]);
        MemorySegment d = offHeap(t.data());
        return switch (t.dtype()) {
            case F32 -> new F32Matrix(d, rows, cols);
            case F16 -> new F16Matrix(d, rows, cols);
            case BF16 -> new BF16Matrix(d, rows, cols);
            case Q8_0 -> new Q8_0Matrix(d, rows, cols);
            case Q4_0 -> new Q4_0Matrix(d, rows, cols);
            case Q4_1 -> new Q4_1Matrix(d, rows, cols);
            case Q5_0 -> new Q5_0Matrix(d, rows, cols);
            case Q5_1 -> new Q5_1Matrix(d, rows, cols);
            case Q4_K -> new Q4_KMatrix(d, rows, cols);
            case I8 -> throw new IllegalArgumentException(t.name() + ": int8 weights need their row scales");
        };
    }

    /** A copy of the per-row scales of an int8 matrix (null for block formats, whose scales sit in the data). */
    public float[] rowScales() {
        return scales == null ? null : scales.clone();
    }

    /** Our int8: signed bytes with one factor per row applied after the dot. */
    public static PackedMatrix int8(MemorySegment q, float[] scales, int rows, int cols) {
        if (scales.length != rows) throw new IllegalArgumentException(scales.length + " scales for " + rows + " rows");
        return new I8Matrix(offHeap(q), scales.clone(), rows, cols);
    }

    /** Weights stay off the Java heap, where the collector would copy them and vector loads want plain memory. */
    private static MemorySegment offHeap(MemorySegment s) {
        if (s.isNative()) return s;
        return Arena.ofAuto().allocate(s.byteSize(), 64).copyFrom(s);
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public DType dtype() {
        return type;
    }

    /** The stored bytes (the mapped region when the file is mapped). */
    public MemorySegment data() {
        return data;
    }

    @Override
    public long residentBytes() {
        return data.byteSize() + (scales == null ? 0 : 4L * scales.length);
    }

    @Override
    public void dequantize(int r0, int n, float[] out, int off) {
        for (int r = r0; r < r0 + n; r++) {
            int o = off + (r - r0) * cols;
            widen(r, out, o);
            if (scales != null) for (int c = 0; c < cols; c++) out[o + c] *= scales[r];
        }
    }

    /** Row r as the kernels multiply it (before any row factor). */
    final void widen(int r, float[] out, int off) {
        Dequant.toFloats(type, data, (long) r * cols, out, off, cols);
    }

    /**
     * The storage type's vector kernels. widenRow: the row at byte offset o widened in registers to exactly the
     * floats {@link Dequant} gives, into out[off ..]. dot1: the row's dot with x[xOff ..], widening the same way and
     * accumulating in {@link Simd#dot}'s order, so it equals the float32 dot of the widened row bit for bit. Each
     * keeps its vectors inside one loop: a vector passed across a call the JIT declines to inline would be boxed.
     */
    abstract void widenRow(long o, float[] out, int off);

    abstract float dot1(long o, float[] x, int xOff);

    /** Decode over rows from .. to (no row factors): one fused pass per row; float32 streams four rows at once. */
    void rowDots(float[] x, int xOff, float[] y, int yOff, int from, int to) {
        for (int r = from; r < to; r++) y[yOff + r] = dot1(r * rowBytes, x, xOff);
    }

    /** The scalar twin: the widened row summed element by element, in double like {@link Simd#dotScalar}. */
    final float dotScalar(int r, float[] x, int xOff) {
        float[] w = Scratch.get().rows(cols);
        widen(r, w, 0);
        double sum = 0;
        for (int i = 0; i < cols; i++) sum += (double) w[i] * x[xOff + i];
        return (float) sum;
    }

    /** One row's dot through the vector kernel (tests compare it with the scalar twin). */
    final float dotVector(int r, float[] x, int xOff) {
        return dot1(r * rowBytes, x, xOff);
    }

    private float post(int r, float v) {
        return scales == null ? v : v * scales[r];
    }

    @Override
    public final void matVec(float[] x, int xOff, float[] y, int yOff, int from, int to) {
        if (!Simd.ON) {
            for (int r = from; r < to; r++) y[yOff + r] = post(r, dotScalar(r, x, xOff));
            return;
        }
        rowDots(x, xOff, y, yOff, from, to);
        if (scales != null) for (int r = from; r < to; r++) y[yOff + r] *= scales[r];
    }

    /**
     * Y[t * rows + r] = dot(row r, X[t * cols ..]) for T tokens and rows from .. to: sequence mode. Four rows are
     * widened once into scratch (float32 rows are read in place) and meet the tokens in 4 x 4 tiles; each result has
     * the bits {@link #matVec} gives.
     */
    @Override
    public final void matMat(float[] x, int T, float[] y, int from, int to) {
        if (!Simd.ON) {
            for (int r = from; r < to; r++) {
                for (int t = 0; t < T; t++) y[t * rows + r] = post(r, dotScalar(r, x, t * cols));
            }
            return;
        }
        Scratch s = Scratch.get();
        boolean inPlace = type == DType.F32;
        for (int r = from; r < to; r += 4) {
            int n = Math.min(4, to - r);
            MemorySegment w;
            long o0, o1, o2, o3;
            if (inPlace) {
                w = data;
                o0 = r * rowBytes;
                o1 = (r + Math.min(1, n - 1)) * rowBytes;
                o2 = (r + Math.min(2, n - 1)) * rowBytes;
                o3 = (r + Math.min(3, n - 1)) * rowBytes;
            } else {
                float[] buf = s.rows(4 * cols);
                for (int k = 0; k < n; k++) widenRow((r + k) * rowBytes, buf, k * cols);
                w = s.offHeap(buf, n * cols);
                long rb = 4L * cols;
                o0 = 0;
                o1 = Math.min(1, n - 1) * rb;
                o2 = Math.min(2, n - 1) * rb;
                o3 = Math.min(3, n - 1) * rb;
            }
            for (int t = 0; t < T; t += 4) {
                int m = Math.min(4, T - t);
                Simd.tile4x4(w, o0, o1, o2, o3, x, t * cols, (t + Math.min(1, m - 1)) * cols,
                        (t + Math.min(2, m - 1)) * cols, (t + Math.min(3, m - 1)) * cols, cols, s.res, s.lanes);
                for (int k = 0; k < n; k++) {
                    for (int j = 0; j < m; j++) y[(t + j) * rows + r + k] = post(r + k, s.res[4 * k + j]);
                }
            }
        }
    }

    // ---- helpers the storage types share

    float f16(long off) {
        return Float.float16ToFloat(data.get(I16, off));
    }

    /** L bytes at off (never more: with 4 lanes the load is masked). */
    ByteVector bytes(long off) {
        return L >= 8 ? ByteVector.fromMemorySegment(Simd.BYTES, data, off, Simd.LE)
                : ByteVector.fromMemorySegment(Simd.BYTES, data, off, Simd.LE, FIRST_LANES);
    }

    static FloatVector toFloats(ByteVector b) {
        return (FloatVector) b.convertShape(VectorOperators.B2F, Simd.S, 0);
    }

    /** Low (elements 0-15 of a 32-block) or high (16-31) nibbles of L packed bytes at off. */
    ByteVector low(long off) {
        return bytes(off).and((byte) 15);
    }

    ByteVector high(long off) {
        return bytes(off).lanewise(VectorOperators.LSHR, 4);
    }

    /** Adds the fifth bit (16) where Q5's 32-bit field has element c+i's bit set. */
    static ByteVector fifthBit(ByteVector lo, int qh, int c) {
        VectorMask<Byte> m = VectorMask.fromLong(Simd.BYTES, (qh >>> c) & ((1L << L) - 1));
        return lo.lanewise(VectorOperators.OR, (byte) 16, m);
    }

    /** Per-thread buffers, so no kernel call allocates. */
    static final class Scratch {
        private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);
        final float[] lanes = new float[16 * L], res = new float[16];
        private float[] rows = new float[0], sums = new float[0], activation = new float[0];
        private double[] wide = new double[0];
        private MemorySegment widened = MemorySegment.NULL;

        static Scratch get() {
            return LOCAL.get();
        }

        float[] rows(int n) {
            if (rows.length < n) rows = new float[n];
            return rows;
        }

        /** A second buffer of n floats beside {@link #rows} (an activation rescaled for a kernel). */
        float[] activation(int n) {
            if (activation.length < n) activation = new float[n];
            return activation;
        }

        /**
         * The first n floats of a widened buffer copied into native memory. The kernels then see native segments
         * only: a kernel that has met both heap and native segments checks the kind at every load (Q8_0's sequence
         * mode ran at half of F32's speed in a JVM that had run F32 rows, read in place, first).
         */
        MemorySegment offHeap(float[] buf, int n) {
            if (widened.byteSize() < 4L * n) widened = Arena.ofAuto().allocate(4L * Math.max(n, buf.length), 64);
            MemorySegment.copy(buf, 0, widened, Simd.F, 0, n);
            return widened;
        }

        /** n zeroed floats (a transposed product's accumulators). */
        float[] sums(int n) {
            if (sums.length < n) sums = new float[n];
            java.util.Arrays.fill(sums, 0, n, 0f);
            return sums;
        }

        /** n zeroed doubles (the scalar twin's accumulators). */
        double[] wide(int n) {
            if (wide.length < n) wide = new double[n];
            java.util.Arrays.fill(wide, 0, n, 0.0);
            return wide;
        }
    }
}
