package dev.rwkvedge.tensor;

/**
 * A (rows x cols) weight matrix computed on the bytes its file stores: either the rows themselves
 * ({@link PackedMatrix}) or a matrix the file stores as its transpose ({@link TransposedMatrix}, v6/v7's LoRA
 * factors, used as x @ M). Nothing is widened or copied when one is made.
 */
public sealed interface StoredMatrix permits PackedMatrix, TransposedMatrix {
    int rows();

    int cols();

    DType dtype();

    /** The stored bytes (a mapped file's region, or memory). */
    java.lang.foreign.MemorySegment data();

    /** Bytes held: the stored form plus any row scales. */
    long residentBytes();

    /** y[yOff + r] = W x[xOff ..] for rows from .. to: decode. */
    void matVec(float[] x, int xOff, float[] y, int yOff, int from, int to);

    /** Y[t * rows + r] = dot(row r, X[t * cols ..]) for T tokens and rows from .. to, each as {@link #matVec} gives it. */
    void matMat(float[] x, int T, float[] y, int from, int to);

    /** Rows r0 .. r0+n widened to float32 (row factors applied) into out[off ..]. */
    void dequantize(int r0, int n, float[] out, int off);

    /** The matrix a file stores as (cols x rows) for x @ M, used as the (rows x cols) projection M^T. */
    static StoredMatrix transposed(Tensor t) {
        return new TransposedMatrix(PackedMatrix.of(t));
    }
}
