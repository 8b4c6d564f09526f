package dev.rwkvedge.compress.sparse;

import java.util.SplittableRandom;

/**
 * Calibration samples of one layer: channel-mix inputs x_k (count x inputs) and which neurons were active
 * (relu(K x_k)^2 > 0), one bit per neuron.
 */
public final class LayerSamples {
    private final int inputs, neurons, count, words;
    private final float[] x;
    private final long[] active;

    public LayerSamples(int inputs, int neurons, int count, float[] x, long[] active) {
        this.inputs = inputs;
        this.neurons = neurons;
        this.count = count;
        this.words = wordsPerRow(neurons);
        if (x.length != (long) count * inputs || active.length != (long) count * words) {
            throw new IllegalArgumentException("sample arrays do not match " + count + " x (" + inputs + ", " + neurons + ")");
        }
        this.x = x;
        this.active = active;
    }

    static int wordsPerRow(int neurons) {
        return (neurons + 63) >>> 6;
    }

    public int inputs() {
        return inputs;
    }

    public int neurons() {
        return neurons;
    }

    public int count() {
        return count;
    }

    /** The inputs, row-major (count x inputs); callers must not modify them. */
    public float[] inputsArray() {
        return x;
    }

    public int inputOffset(int sample) {
        return sample * inputs;
    }

    public boolean active(int sample, int neuron) {
        return (active[sample * words + (neuron >>> 6)] & (1L << neuron)) != 0;
    }

    public long activeCount(int sample) {
        long n = 0;
        for (int w = 0; w < words; w++) n += Long.bitCount(active[sample * words + w]);
        return n;
    }

    /**
     * A fixed-seed 80/20 style split into training and validation samples, so that two predictors trained on the
     * same samples see the same validation set.
     */
    public Split split(double validationFraction, long seed) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = count - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int s = order[i];
            order[i] = order[j];
            order[j] = s;
        }
        int validation = (int) Math.round(count * validationFraction);
        if (count >= 2) validation = Math.clamp(validation, 1, count - 1);
        int[] val = java.util.Arrays.copyOfRange(order, 0, validation);
        int[] train = java.util.Arrays.copyOfRange(order, validation, count);
        java.util.Arrays.sort(val);
        java.util.Arrays.sort(train);
        return new Split(train, val);
    }

    /** Sample indices into a {@link LayerSamples}. */
    public record Split(int[] train, int[] validation) {}
}
