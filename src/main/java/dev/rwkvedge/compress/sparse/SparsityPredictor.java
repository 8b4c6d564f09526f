package dev.rwkvedge.compress.sparse;

/**
 * Guesses which channel-mix neurons will be active (relu(k_j . x_k) > 0) from x_k alone, before K is read.
 * Implementations are immutable and safe to call from several threads.
 */
public interface SparsityPredictor {
    int inputs();

    int neurons();

    /**
     * Writes the predicted-active neuron indices for x[xOff .. xOff+inputs) into {@code active} in ascending order
     * (ascending so that the bundled weights are read front to back) and returns how many there are. {@code active}
     * has room for {@link #neurons()} entries; what it held before is not kept (a predictor may use it as scratch).
     */
    int predict(float[] x, int xOff, int[] active);

    /**
     * The same predictor at another operating point: the MLP's probability threshold, the 1-bit predictor's
     * sparsity p, the ensemble's MLP threshold (its 1-bit part keeps p). This is the knob a threshold sweep turns.
     */
    SparsityPredictor atThreshold(double threshold);

    /** Numbers it stores. */
    long parameters();

    /** Bytes it keeps resident while generating. */
    long residentBytes();

    default boolean[] mask(float[] x, int xOff) {
        int[] idx = new int[neurons()];
        int n = predict(x, xOff, idx);
        boolean[] m = new boolean[neurons()];
        for (int i = 0; i < n; i++) m[idx[i]] = true;
        return m;
    }

    /** Active indices for each of T rows of x (T x inputs). */
    default int[][] predictBatch(float[] x, int T) {
        int[][] out = new int[T][];
        int[] idx = new int[neurons()];
        for (int t = 0; t < T; t++) out[t] = java.util.Arrays.copyOf(idx, predict(x, t * inputs(), idx));
        return out;
    }
}
