package dev.rwkvedge.compress.sparse;

import dev.rwkvedge.runtime.ChannelMix;
import dev.rwkvedge.runtime.RwkvModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The sparse channel mixes built for one model, with the dense ones they replace. Installing and restoring swap
 * the blocks' channel mixes; the dense mixes are kept untouched, so restoring gives bit-identical logits. The
 * calibration samples are kept so the studio can redraw a layer's threshold curve or move its threshold without
 * retraining.
 */
public final class SparseInstallation {
    /** One layer's outcome. {@code training} is null for the 1-bit predictor alone. */
    public record Layer(int layer, SparseChannelMix mix, PredictorReport report, MlpTrainer.Result training,
                        LayerSamples samples, LayerSamples.Split split) {}

    private final RwkvModel model;
    private final List<ChannelMix> dense;
    private final List<Layer> layers;
    private boolean installed;

    SparseInstallation(RwkvModel model, List<? extends ChannelMix> dense, List<Layer> layers) {
        this.model = model;
        this.dense = List.copyOf(dense);
        this.layers = new ArrayList<>(layers);
    }

    public List<Layer> layers() {
        return List.copyOf(layers);
    }

    public List<PredictorReport> reports() {
        return layers.stream().map(Layer::report).toList();
    }

    public SparseChannelMix mix(int layer) {
        return layers.get(layer).mix();
    }

    public boolean installed() {
        return installed;
    }

    /** Puts the sparse mixes into the model's blocks. */
    public void install() {
        for (Layer l : layers) model.blocks().get(l.layer()).setChannelMix(l.mix());
        installed = true;
    }

    /** Puts the original dense mixes back. */
    public void restoreDense() {
        for (int l = 0; l < dense.size(); l++) model.blocks().get(l).setChannelMix(dense.get(l));
        installed = false;
    }

    /**
     * Moves one layer's operating point (MLP threshold, or p for the 1-bit predictor alone) without retraining;
     * returns the new held-out report. Takes effect in the model at once when installed.
     */
    public PredictorReport setThreshold(int layer, double threshold) {
        Layer old = layers.get(layer);
        SparseChannelMix mix = old.mix().withPredictor(old.mix().predictor().atThreshold(threshold));
        PredictorReport report = PredictorReport.of(layer, mix.predictor(), old.samples(), old.split().validation());
        layers.set(layer, new Layer(layer, mix, report, old.training(), old.samples(), old.split()));
        if (installed) model.blocks().get(layer).setChannelMix(mix);
        return report;
    }

    /** Recall and predicted sparsity of one layer's predictor on its held-out samples, per threshold. */
    public List<PredictorReport.SweepPoint> thresholdSweep(int layer, double... thresholds) {
        Layer l = layers.get(layer);
        return PredictorReport.thresholdSweep(l.mix().predictor(), l.samples(), l.split().validation(), thresholds);
    }

    /** Mean fraction of neurons computed per token, over layers, since the counters were last reset. */
    public double meanActiveFraction() {
        return layers.stream().mapToDouble(l -> l.mix().meanActiveFraction()).average().orElse(0);
    }

    public void resetCounters() {
        for (Layer l : layers) l.mix().resetCounters();
    }

    /** What all sparse mixes hold resident (their neuron caches and predictors), against the dense mixes they replace. */
    public long residentBytes() {
        return layers.stream().mapToLong(l -> l.mix().residentBytes()).sum();
    }

    public long denseResidentBytes() {
        return dense.stream().mapToLong(ChannelMix::residentBytes).sum();
    }
}
