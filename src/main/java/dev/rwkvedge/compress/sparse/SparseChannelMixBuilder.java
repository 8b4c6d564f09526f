package dev.rwkvedge.compress.sparse;

import dev.rwkvedge.compress.resident.RecordSource;
import dev.rwkvedge.compress.resident.RowPrecision;
import dev.rwkvedge.runtime.Block;
import dev.rwkvedge.runtime.ChannelMix;
import dev.rwkvedge.runtime.DenseChannelMix;
import dev.rwkvedge.runtime.Int8Projection;
import dev.rwkvedge.runtime.Projection;
import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.task.ProgressListener;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a model's dense channel mixes into sparse ones: samples activations on calibration tokens, trains or builds
 * each layer's predictor, evaluates it on the held-out samples, and bundles K and V by neuron. The result is not
 * installed until asked ({@link SparseInstallation#install}), and the dense mixes can always be put back.
 *
 * Progress: sampling takes the first 20% of the bar, predictors the next 70%, bundling the rest.
 */
public final class SparseChannelMixBuilder {
    private static final long BAR = 1000, SAMPLING = 200, PREDICTORS = 700;

    private final RwkvModel model;

    public SparseChannelMixBuilder(RwkvModel model) {
        this.model = model;
    }

    public SparseInstallation build(int[] calibrationTokens, SparseSettings settings, ProgressListener progress) {
        List<DenseChannelMix> dense = denseMixes();
        int L = dense.size();
        for (double[] perLayer : new double[][] {settings.layerThresholds(), settings.layerSparsity()}) {
            if (perLayer != null && perLayer.length != L) {
                throw new IllegalArgumentException("per-layer settings have " + perLayer.length + " entries for " + L + " layers");
            }
        }
        List<LayerSamples> samples = new ActivationSampler(settings.samplesPerLayer(), settings.seed())
                .sample(model, calibrationTokens, new StageProgress(progress, "sampling", 0, SAMPLING, BAR));
        List<SparseInstallation.Layer> layers = new ArrayList<>();
        for (int l = 0; l < L; l++) {
            progress.checkCancelled();
            long from = SAMPLING + PREDICTORS * l / L, to = SAMPLING + PREDICTORS * (l + 1) / L;
            var stage = new StageProgress(progress, "layer " + l + " predictor", from, to - from, BAR);
            layers.add(buildLayer(l, dense.get(l), samples.get(l), settings, stage));
            progress.update(to, BAR, "layer " + l + " done");
        }
        progress.update(BAR, BAR, "sparse channel mixes ready");
        return new SparseInstallation(model, List.copyOf(dense), layers);
    }

    private List<DenseChannelMix> denseMixes() {
        List<DenseChannelMix> out = new ArrayList<>();
        for (Block b : model.blocks()) {
            ChannelMix cm = b.channelMix();
            if (!(cm instanceof DenseChannelMix d)) {
                throw new IllegalStateException("layer " + out.size() + " has a " + cm.getClass().getSimpleName()
                        + ", not a dense channel mix: restore the dense mixes before building sparse ones");
            }
            out.add(d);
        }
        return out;
    }

    private static SparseInstallation.Layer buildLayer(int layer, DenseChannelMix dense, LayerSamples samples,
                                                       SparseSettings settings, ProgressListener progress) {
        Projection key = dense.projections().get("ffn.key");
        int C = key.inDim(), F = key.outDim();
        float[] k = key.toArray();
        LayerSamples.Split split = samples.split(settings.validationFraction(), settings.seed());
        MlpTrainer.Result training = null;
        SparsityPredictor predictor = null;
        if (settings.predictor().usesMlp()) {
            training = MlpTrainer.train(samples, split.train(), settings.mlp(), settings.thresholdFor(layer), progress);
            predictor = training.predictor();
        }
        if (settings.predictor().usesOneBit()) {
            OneBitPredictor oneBit = OneBitPredictor.of(k, F, C, settings.sparsityFor(layer));
            predictor = predictor == null ? oneBit : new EnsemblePredictor((MlpPredictor) predictor, oneBit);
        }
        PredictorReport report = PredictorReport.of(layer, predictor, samples, split.validation());
        return new SparseInstallation.Layer(layer, sparse(dense, k, predictor), report, training, samples, split);
    }

    /** The 1-bit predictor of a dense channel mix's key matrix (deterministic, so a reload rebuilds it exactly). */
    public static OneBitPredictor oneBit(DenseChannelMix dense, double p) {
        Projection key = dense.projections().get("ffn.key");
        return OneBitPredictor.of(key.toArray(), key.outDim(), key.inDim(), p);
    }

    /** The sparse form of a dense channel mix with a given predictor (also how a compressed file is reloaded). */
    public static SparseChannelMix fromDense(DenseChannelMix dense, SparsityPredictor predictor) {
        return sparse(dense, dense.projections().get("ffn.key").toArray(), predictor);
    }

    private static SparseChannelMix sparse(DenseChannelMix dense, float[] k, SparsityPredictor predictor) {
        Projection key = dense.projections().get("ffn.key"), value = dense.projections().get("ffn.value");
        NeuronBundle bundle = key instanceof Int8Projection qk && value instanceof Int8Projection qv
                ? NeuronBundle.of(qk, qv) : NeuronBundle.of(k, value.toArray(), key.inDim(), key.outDim());
        return new SparseChannelMix(new TokenShift(dense.mixK(), dense.mixR(), dense.lerpFromPrev()), bundle,
                dense.projections().get("ffn.receptance"), predictor);
    }

    /**
     * A sparse mix over neuron bundles kept in storage (records of {@link #bundleBytes} bytes, see
     * {@link NeuronBundle}), read through a cache of cacheNeurons bundles: how a compressed file is reloaded.
     */
    public static SparseChannelMix stored(float[] mixK, float[] mixR, boolean lerpFromPrev, Projection receptance,
                                          SparsityPredictor predictor, RowPrecision precision, float[] valueScales,
                                          RecordSource bundles, int cacheNeurons) {
        NeuronBundle b = new NeuronBundle(precision, mixK.length, valueScales, bundles, cacheNeurons);
        return new SparseChannelMix(new TokenShift(mixK, mixR, lerpFromPrev), b, receptance, predictor);
    }

    /** Bytes of one neuron's bundle in a precision, for a mix of width C. */
    public static int bundleBytes(RowPrecision precision, int C) {
        return NeuronBundle.recordBytes(precision, C);
    }
}
