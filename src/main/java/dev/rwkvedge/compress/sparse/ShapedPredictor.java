package dev.rwkvedge.compress.sparse;

/** A predictor with its own weights for one layer shape: x_k of {@code inputs} values, {@code neurons} outputs. */
abstract class ShapedPredictor implements SparsityPredictor {
    final int inputs, neurons;

    ShapedPredictor(int inputs, int neurons) {
        if (inputs < 1 || neurons < 1) throw new IllegalArgumentException("empty predictor " + inputs + " -> " + neurons);
        this.inputs = inputs;
        this.neurons = neurons;
    }

    @Override
    public final int inputs() {
        return inputs;
    }

    @Override
    public final int neurons() {
        return neurons;
    }
}
