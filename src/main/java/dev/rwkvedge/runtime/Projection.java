package dev.rwkvedge.runtime;

/**
 * y = W x for a weight of shape (out, in). Compression substitutes other implementations
 * (low-rank pairs, int8 blocks) behind this interface.
 */
public interface Projection {
    int outDim();

    int inDim();

    /** y[yOff .. yOff+out) = W x[xOff .. xOff+in). */
    void apply(float[] x, int xOff, float[] y, int yOff, Parallel par);

    /** Y (T x out) = X (T x in) W^T; each row exactly as {@link #apply} would compute it. */
    void applyBatch(float[] x, float[] y, int T, Parallel par);

    /** Bytes this projection keeps resident while generating. */
    long residentBytes();

    /** Parameters it holds. */
    long parameters();

    /**
     * W as a row-major (out x in) heap array, for analysis, export and rebuilding; not for the hot path. This default
     * applies the projection to the unit vectors, which is exactly what a factored or quantized W computes.
     */
    default float[] toArray() {
        int in = inDim(), out = outDim();
        float[] eye = new float[in * in];
        for (int i = 0; i < in; i++) eye[i * in + i] = 1;
        float[] cols = new float[in * out];
        applyBatch(eye, cols, in, Parallel.serial());
        float[] w = new float[out * in];
        for (int c = 0; c < in; c++) for (int r = 0; r < out; r++) w[r * in + c] = cols[c * out + r];
        return w;
    }

    default void apply(float[] x, float[] y, Parallel par) {
        apply(x, 0, y, 0, par);
    }
}
