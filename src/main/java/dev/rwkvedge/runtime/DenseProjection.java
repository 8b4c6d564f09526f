package dev.rwkvedge.runtime;

import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.PackedMatrix;
import dev.rwkvedge.tensor.SmallF32Matrix;
import dev.rwkvedge.tensor.StoredMatrix;
import dev.rwkvedge.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A weight matrix in whatever storage type its file holds (float32, float16, bfloat16, the ggml block types),
 * computed on the stored bytes: a mapped file is used in place and never widened.
 */
public final class DenseProjection implements Projection {
    /** The stored matrix, or null once {@link #small} has replaced it (then nothing here keeps it alive). */
    private final StoredMatrix w;
    private final int rows, cols;
    private final DType type;
    private final float[] bias;
    /** A copy of a small float32 matrix that gives the same bits faster while it is cached, or null. */
    private final SmallF32Matrix small;

    private DenseProjection(StoredMatrix w, float[] bias) {
        if (bias != null && bias.length != w.rows()) {
            throw new IllegalArgumentException(bias.length + " biases for " + w.rows() + " outputs");
        }
        this.rows = w.rows();
        this.cols = w.cols();
        this.type = w.dtype();
        this.bias = bias;
        // Only a mapped file's matrix gets the copy: its pages can be let go, as the copy is all this projection
        // reads from now on; a matrix built in memory (compression's factors) would be held twice. A LoRA factor
        // stored transposed gets one wherever it lives: such factors are small, and on tiny shapes reading them
        // column-wise costs more than the rest of the time mix (rwkv.cpp's files hold them transposed in memory).
        boolean transposed = !(w instanceof PackedMatrix);
        this.small = w.data().isMapped() || transposed ? SmallF32Matrix.of(w) : null;
        if (small != null && w.data().isMapped()) w.data().unload();
        // The copy serves every read (decode, sequence, rows()): holding the stored matrix as well would keep a
        // factor built in memory alive twice and its mapped view reachable for nothing.
        this.w = small == null ? w : null;
    }

    /** From a tensor of shape (out, in) in any storage type but int8 (see {@link Int8Projection}). */
    public static DenseProjection of(Tensor t) {
        return of(t, null);
    }

    public static DenseProjection of(Tensor t, float[] bias) {
        return new DenseProjection(PackedMatrix.of(t), bias);
    }

    /** From a tensor of shape (in, out) that a file stores for x @ M (v6/v7's LoRA factors), used in place as M^T. */
    public static DenseProjection transposed(Tensor t) {
        return new DenseProjection(StoredMatrix.transposed(t), null);
    }

    /** From row-major heap values (out x in), e.g. a transposed or reconstructed matrix; held off-heap. */
    public static DenseProjection of(float[] rowMajor, int out, int in) {
        MemorySegment seg = Arena.ofAuto().allocate(4L * rowMajor.length, 64);
        MemorySegment.copy(rowMajor, 0, seg, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, rowMajor.length);
        return new DenseProjection(PackedMatrix.of(new Tensor("matrix", DType.F32, new long[] {out, in}, seg)), null);
    }

    /** The weights widened to float32, row-major (for analysis and compression, not for the hot path). */
    @Override
    public float[] toArray() {
        int out = rows, in = cols;
        float[] a = new float[Math.multiplyExact(out, in)];
        for (int r = 0; r < out; r += ROW_BLOCK) rows(r, Math.min(ROW_BLOCK, out - r), a, r * in);
        return a;
    }

    /** Rows r0 .. r0+n widened to float32 into out[off ..]: reads a large matrix a block at a time. */
    public void rows(int r0, int n, float[] out, int off) {
        if (small != null) small.rows(r0, n, out, off);
        else w.dequantize(r0, n, out, off);
    }

    private static final int ROW_BLOCK = 64;

    public DType sourceType() {
        return type;
    }

    @Override
    public int outDim() {
        return rows;
    }

    @Override
    public int inDim() {
        return cols;
    }

    @Override
    public void apply(float[] x, int xOff, float[] y, int yOff, Parallel par) {
        if (small != null) {
            if (!par.splits(small.blocks(), (long) SmallF32Matrix.B * cols)) {
                small.matVec(x, xOff, y, yOff, 0, small.blocks());
                if (bias != null) for (int r = 0; r < rows; r++) y[yOff + r] += bias[r];
                return;
            }
            par.forRange(small.blocks(), (long) SmallF32Matrix.B * cols, (from, to) -> {
                small.matVec(x, xOff, y, yOff, from, to);
                if (bias != null) {
                    for (int r = from * SmallF32Matrix.B; r < to * SmallF32Matrix.B; r++) y[yOff + r] += bias[r];
                }
            });
            return;
        }
        par.matVec(w, x, xOff, y, yOff);
        if (bias != null) for (int r = 0; r < rows; r++) y[yOff + r] += bias[r];
    }

    @Override
    public void applyBatch(float[] x, float[] y, int T, Parallel par) {
        if (T == 1) {
            apply(x, 0, y, 0, par);
            return;
        }
        int out = rows;
        if (small != null) {
            int B = SmallF32Matrix.B;
            par.forRange(small.blocks(), (long) B * cols * T, (from, to) -> {
                small.matMat(x, T, y, from, to);
                if (bias != null) for (int t = 0; t < T; t++) for (int r = from * B; r < to * B; r++) y[t * out + r] += bias[r];
            });
            return;
        }
        // whole groups of four rows per task, so a split never shortens a tile
        par.forRange((out + 3) / 4, 4L * cols * T, (from, to) -> {
            int r0 = 4 * from, r1 = Math.min(out, 4 * to);
            w.matMat(x, T, y, r0, r1);
            if (bias != null) for (int t = 0; t < T; t++) for (int r = r0; r < r1; r++) y[t * out + r] += bias[r];
        });
    }

    @Override
    public long residentBytes() {
        // with a copy, the stored matrix is no longer held (a mapped file's pages were let go as well)
        long weights = small == null ? w.residentBytes() : small.bytes();
        return weights + (bias == null ? 0 : 4L * bias.length);
    }

    @Override
    public long parameters() {
        return (long) rows * cols + (bias == null ? 0 : bias.length);
    }
}
