package dev.rwkvedge.analysis;

/**
 * What one layer's channel-mix activations h = relu(K x)^2 did over the calibration tokens.
 *
 * @param zeros  how many of the tokens x width values were exactly 0
 * @param firing per neuron j, on how many tokens h_j > 0
 */
public record LayerActivity(int layer, int width, long tokens, long zeros, long[] firing) {

    /** Share of exact zeros in h: the fraction of K rows and V columns a perfect predictor could skip. */
    public double sparsity() {
        long n = tokens * width;
        return n == 0 ? Double.NaN : (double) zeros / n;
    }

    /** Per neuron, the share of tokens on which it was active (> 0). */
    public double[] firingFrequency() {
        double[] f = new double[width];
        for (int j = 0; j < width; j++) f[j] = tokens == 0 ? Double.NaN : (double) firing[j] / tokens;
        return f;
    }

    /** Mean firing frequency over the neurons; equals 1 - sparsity because h is never negative. */
    public double meanFiring() {
        long active = 0;
        for (long c : firing) active += c;
        long n = tokens * width;
        return n == 0 ? Double.NaN : (double) active / n;
    }

    /** Neurons that never fired on the calibration text (candidates for removal outright). */
    public int deadNeurons() {
        int dead = 0;
        for (long c : firing) if (c == 0) dead++;
        return dead;
    }
}
