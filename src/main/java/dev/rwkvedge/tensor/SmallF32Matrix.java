package dev.rwkvedge.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A float32 matrix small enough to stay in the cache (the tiny models' 64 to 256 wide rows), copied into blocks of
 * sixteen rows stored column by column, so that one vector holds one column of a block. There a row's dot is a
 * handful of multiply-adds and summing the lanes of its accumulator costs as much again; here a block's dots
 * accumulate in whole vectors, one lane per row, and no lanes are ever summed. The order of the additions is this
 * class's own (see {@link #block}), not the stored matrix's kernel's: results agree with it to rounding, and serial
 * and sequence mode, which both run {@link #block}, stay equal bit for bit.
 *
 * <p>The copy is a heap array. Off the heap on a 64-byte boundary every load is aligned to a cache line, but each
 * segment load also pays its bounds and liveness checks, which C2 does not lift out of this loop; the tiny models
 * stream their 2.5 MB of weights from L3 every token, and the array form read them 15 % faster.
 */
public final class SmallF32Matrix {
    private static final VectorSpecies<Float> S = Simd.S;
    /** Rows per block and lanes per vector. */
    public static final int B = 16;
    /** Matrices up to this size stay cached between tokens (the cores' 1 MB L2); larger ones stream from memory. */
    private static final long MAX_BYTES = 1 << 20;

    private final int rows, cols;
    /** Block b, column j, row k of the block at index ((b * cols) + j) * 16 + k. */
    private final float[] w;

    private SmallF32Matrix(StoredMatrix m) {
        rows = m.rows();
        cols = m.cols();
        w = new float[rows * cols];
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            m.dequantize(r, 1, row, 0);
            int base = (r / B) * cols * B + r % B;
            for (int j = 0; j < cols; j++) w[base + j * B] = row[j];
        }
    }

    /**
     * The copy for a float32 matrix (as stored, or a LoRA factor stored transposed: the copy holds M^T) whose sides are whole blocks and that fits the cache, or null (other storage
     * types, large matrices, vectors of another width and the scalar fallback keep the matrix's own kernels).
     */
    public static SmallF32Matrix of(StoredMatrix m) {
        boolean fits = Simd.ON && Simd.LANES == B && m.dtype() == DType.F32 && m.rows() % B == 0
                && m.cols() % B == 0 && m.residentBytes() <= MAX_BYTES;
        return fits ? new SmallF32Matrix(m) : null;
    }

    /** Rows r0 .. r0+n into out[off ..], row-major. */
    public void rows(int r0, int n, float[] out, int off) {
        for (int r = r0; r < r0 + n; r++) {
            int base = (r / B) * cols * B + r % B;
            int o = off + (r - r0) * cols;
            for (int j = 0; j < cols; j++) out[o + j] = w[base + j * B];
        }
    }

    public int blocks() {
        return rows / B;
    }

    public long bytes() {
        return 4L * w.length;
    }

    /** y[yOff + r] = row r . x[xOff ..] for the rows of blocks from .. to. */
    public void matVec(float[] x, int xOff, float[] y, int yOff, int from, int to) {
        for (int b = from; b < to; b++) block(b * cols * B, x, xOff, y, yOff + b * B);
    }

    /** Y[t * rows + r] = row r . X[t * cols ..] for T tokens and the rows of blocks from .. to. */
    public void matMat(float[] x, int T, float[] y, int from, int to) {
        for (int b = from; b < to; b++) {
            int base = b * cols * B;
            for (int t = 0; t < T; t++) block(base, x, t * cols, y, t * rows + b * B);
        }
    }

    /**
     * One block's sixteen dots. Accumulator k takes columns k, k+4, k+8, ... of the sixteen rows; the four are summed
     * (0 + 1) + (2 + 3). Four chains of multiply-adds keep the FMA unit busy while leaving the loads free to stream:
     * sixteen chains (one per lane of {@link Simd#dot}, which this order used to follow) read the weights from L3 at
     * 63 GB/s, four at 80 (the tiny v4 model's matrices, one core of this machine).
     */
    private void block(int base, float[] x, int xOff, float[] y, int yOff) {
        float[] w = this.w;
        FloatVector z = FloatVector.zero(S);
        FloatVector t0 = z, t1 = z, t2 = z, t3 = z;
        for (int j = 0; j < cols; j += 4) {
            int o = base + B * j;
            int xj = xOff + j;
            t0 = load(w, o).fma(FloatVector.broadcast(S, x[xj]), t0);
            t1 = load(w, o + 16).fma(FloatVector.broadcast(S, x[xj + 1]), t1);
            t2 = load(w, o + 32).fma(FloatVector.broadcast(S, x[xj + 2]), t2);
            t3 = load(w, o + 48).fma(FloatVector.broadcast(S, x[xj + 3]), t3);
        }
        t0.add(t1).add(t2.add(t3)).intoArray(y, yOff);
    }

    private static FloatVector load(float[] w, int index) {
        return FloatVector.fromArray(S, w, index);
    }
}
