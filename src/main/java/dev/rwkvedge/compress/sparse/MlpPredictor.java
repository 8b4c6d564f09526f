package dev.rwkvedge.compress.sparse;

import dev.rwkvedge.runtime.Kernels;

/**
 * The learned predictor of one layer: p = sigmoid(W2 relu(W1 x)), no biases (inputs x width x neurons);
 * neuron j is predicted active when p_j > threshold. Compared in logit space, so threshold 0 marks every neuron
 * (even one whose probability underflows to 0 in float).
 */
public final class MlpPredictor implements SparsityPredictor {
    private final int inputs, width, neurons;
    /** Row-major width x inputs and neurons x width. */
    private final float[] w1, w2;
    private final double threshold;
    private final float logitThreshold;

    public MlpPredictor(int inputs, int width, int neurons, float[] w1, float[] w2, double threshold) {
        if (w1.length != width * inputs || w2.length != neurons * width) {
            throw new IllegalArgumentException("MLP weights do not match " + inputs + " -> " + width + " -> " + neurons);
        }
        if (!(threshold >= 0 && threshold <= 1)) throw new IllegalArgumentException("threshold must be in [0, 1]");
        this.inputs = inputs;
        this.width = width;
        this.neurons = neurons;
        this.w1 = w1;
        this.w2 = w2;
        this.threshold = threshold;
        this.logitThreshold = threshold == 0 ? Float.NEGATIVE_INFINITY
                : threshold == 1 ? Float.POSITIVE_INFINITY : (float) Math.log(threshold / (1 - threshold));
    }

    @Override
    public int inputs() {
        return inputs;
    }

    @Override
    public int neurons() {
        return neurons;
    }

    public int width() {
        return width;
    }

    public double threshold() {
        return threshold;
    }

    @Override
    public MlpPredictor atThreshold(double t) {
        return new MlpPredictor(inputs, width, neurons, w1, w2, t);
    }

    @Override
    public int predict(float[] x, int xOff, int[] active) {
        float[] z = logits(x, xOff);
        int n = 0;
        for (int j = 0; j < neurons; j++) if (z[j] > logitThreshold) active[n++] = j;
        return n;
    }

    /** The predicted probabilities of all neurons. */
    public float[] probabilities(float[] x, int xOff) {
        float[] z = logits(x, xOff);
        for (int j = 0; j < neurons; j++) z[j] = TokenShift.sigmoid(z[j]);
        return z;
    }

    private float[] logits(float[] x, int xOff) {
        float[] hidden = new float[width];
        for (int k = 0; k < width; k++) hidden[k] = Math.max(0f, Kernels.dot(w1, k * inputs, x, xOff, inputs));
        float[] z = new float[neurons];
        for (int j = 0; j < neurons; j++) z[j] = Kernels.dot(w2, j * width, hidden, 0, width);
        return z;
    }

    @Override
    public long parameters() {
        return (long) inputs * width + (long) width * neurons;
    }

    @Override
    public long residentBytes() {
        return 4 * parameters();
    }

    @Override
    public String toString() {
        return "MLP " + inputs + "->" + width + "->" + neurons + " @" + threshold;
    }
}
