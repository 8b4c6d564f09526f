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

    default void apply(float[] x, float[] y, Parallel par) {
        apply(x, 0, y, 0, par);
    }
}
