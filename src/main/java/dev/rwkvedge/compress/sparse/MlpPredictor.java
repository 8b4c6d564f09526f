package dev.rwkvedge.compress.sparse;

import dev.rwkvedge.runtime.Kernels;

/**
 * The learned predictor of one layer: p = sigmoid(W2 relu(W1 x)), no biases (inputs x width x neurons);
 * neuron j is predicted active when p_j > threshold. Compared in logit space, so threshold 0 marks every neuron
 * (even one whose probability underflows to 0 in float). W2 is stored transposed (width x neurons) so that the
 * output layer is {@code width} long multiply-adds over all neurons (skipping hidden units that are zero) instead of
 * {@code neurons} short dots.
 */
public final class MlpPredictor extends ShapedPredictor {
    private final int width;
    /** Row-major width x inputs, and W2 transposed: width x neurons. */
    private final float[] w1, w2t;
    private final double threshold;
    private final float logitThreshold;

    public MlpPredictor(int inputs, int width, int neurons, float[] w1, float[] w2t, double threshold) {
        super(inputs, neurons);
        if (w1.length != width * inputs || w2t.length != neurons * width) {
            throw new IllegalArgumentException("MLP weights do not match " + inputs + " -> " + width + " -> " + neurons);
        }
        if (!(threshold >= 0 && threshold <= 1)) throw new IllegalArgumentException("threshold must be in [0, 1]");
        this.width = width;
        this.w1 = w1;
        this.w2t = w2t;
        this.threshold = threshold;
        this.logitThreshold = threshold == 0 ? Float.NEGATIVE_INFINITY
                : threshold == 1 ? Float.POSITIVE_INFINITY : (float) Math.log(threshold / (1 - threshold));
    }

    public int width() {
        return width;
    }

    /** The first layer, row-major width x inputs (for export). */
    public float[] firstLayer() {
        return w1.clone();
    }

    /** The second layer transposed, width x neurons (for export). */
    public float[] secondLayerTransposed() {
        return w2t.clone();
    }

    public double threshold() {
        return threshold;
    }

    @Override
    public MlpPredictor atThreshold(double t) {
        return new MlpPredictor(inputs, width, neurons, w1, w2t, t);
    }

    @Override
    public int predict(float[] x, int xOff, int[] active) {
        float[] z = logits(x, xOff, TokenArrays.get().scores(neurons));
        int n = 0;
        for (int j = 0; j < neurons; j++) if (z[j] > logitThreshold) active[n++] = j;
        return n;
    }

    /** The predicted probabilities of all neurons. */
    public float[] probabilities(float[] x, int xOff) {
        float[] z = logits(x, xOff, new float[neurons]);
        for (int j = 0; j < neurons; j++) z[j] = TokenShift.sigmoid(z[j]);
        return z;
    }

    /** The logits into z[0 .. neurons), which the hidden units add to: it is cleared first. */
    private float[] logits(float[] x, int xOff, float[] z) {
        java.util.Arrays.fill(z, 0, neurons, 0f);
        for (int k = 0; k < width; k++) {
            float h = Kernels.dot(w1, k * inputs, x, xOff, inputs);
            if (h > 0) Kernels.axpy(h, w2t, k * neurons, z, 0, neurons);
        }
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
