package dev.rwkvedge.compress.sparse;

import java.util.Arrays;

/**
 * What a recipe sets for the sparse channel mix. Per-layer arrays, when present, override the global value for
 * their layers (one entry per layer).
 *
 * @param threshold          MLP probability threshold (0.7 in the paper's code; 0 computes every neuron)
 * @param layerThresholds    per-layer MLP thresholds, or null
 * @param oneBitSparsity     1-bit predictor's p: the fraction of neurons it skips (0.80 to 0.95 in the code)
 * @param layerSparsity      per-layer p, or null
 * @param samplesPerLayer    calibration tokens kept per layer (reservoir); the paper trained on 1.5k to 2.3k
 */
public record SparseSettings(PredictorKind predictor, double threshold, double[] layerThresholds, double oneBitSparsity,
                             double[] layerSparsity, MlpTrainer.Settings mlp, int samplesPerLayer,
                             double validationFraction, long seed) {

    public SparseSettings {
        if (samplesPerLayer < 2) throw new IllegalArgumentException("need at least 2 samples per layer");
        if (!(validationFraction > 0 && validationFraction < 1)) throw new IllegalArgumentException("bad validation fraction");
        layerThresholds = layerThresholds == null ? null : layerThresholds.clone();
        layerSparsity = layerSparsity == null ? null : layerSparsity.clone();
    }

    /** The paper's settings: threshold 0.7, width 64, Adam 0.005 for 100 epochs, p 0.9, 2000 samples, 80/20. */
    public static SparseSettings defaults(PredictorKind kind) {
        return new SparseSettings(kind, 0.7, null, 0.9, null, MlpTrainer.Settings.DEFAULT, 2000, 0.2, 42);
    }

    public double thresholdFor(int layer) {
        return layerThresholds != null ? layerThresholds[layer] : threshold;
    }

    public double sparsityFor(int layer) {
        return layerSparsity != null ? layerSparsity[layer] : oneBitSparsity;
    }

    public SparseSettings withThreshold(double t) {
        return new SparseSettings(predictor, t, null, oneBitSparsity, layerSparsity, mlp, samplesPerLayer,
                validationFraction, seed);
    }

    public SparseSettings withLayerThresholds(double... t) {
        return new SparseSettings(predictor, threshold, t, oneBitSparsity, layerSparsity, mlp, samplesPerLayer,
                validationFraction, seed);
    }

    public SparseSettings withOneBitSparsity(double p) {
        return new SparseSettings(predictor, threshold, layerThresholds, p, null, mlp, samplesPerLayer,
                validationFraction, seed);
    }

    public SparseSettings withLayerSparsity(double... p) {
        return new SparseSettings(predictor, threshold, layerThresholds, oneBitSparsity, p, mlp, samplesPerLayer,
                validationFraction, seed);
    }

    public SparseSettings withMlp(MlpTrainer.Settings m) {
        return new SparseSettings(predictor, threshold, layerThresholds, oneBitSparsity, layerSparsity, m,
                samplesPerLayer, validationFraction, seed);
    }

    public SparseSettings withSamplesPerLayer(int n) {
        return new SparseSettings(predictor, threshold, layerThresholds, oneBitSparsity, layerSparsity, mlp, n,
                validationFraction, seed);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparseSettings s && predictor == s.predictor && threshold == s.threshold
                && Arrays.equals(layerThresholds, s.layerThresholds) && oneBitSparsity == s.oneBitSparsity
                && Arrays.equals(layerSparsity, s.layerSparsity) && mlp.equals(s.mlp)
                && samplesPerLayer == s.samplesPerLayer && validationFraction == s.validationFraction && seed == s.seed;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new Object[] {predictor, threshold, Arrays.hashCode(layerThresholds), oneBitSparsity,
            Arrays.hashCode(layerSparsity), mlp, samplesPerLayer, validationFraction, seed});
    }
}
