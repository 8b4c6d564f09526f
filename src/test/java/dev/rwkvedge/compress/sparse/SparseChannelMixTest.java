package dev.rwkvedge.compress.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.runtime.DenseChannelMix;
import dev.rwkvedge.runtime.Int8Projection;
import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.runtime.RwkvState;
import dev.rwkvedge.task.ProgressListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sparse mix inside real models: identical math when every neuron is predicted, bounded change otherwise. */
class SparseChannelMixTest {
    static final int[] TEXT = TinyModels.bytes(TinyModels.PARAGRAPH);
    static final MlpTrainer.Settings FEW_EPOCHS = new MlpTrainer.Settings(16, 3, 0.005, 1);

    static SparseInstallation build(RwkvModel model, SparseSettings settings) throws Exception {
        return new SparseChannelMixBuilder(model).build(TinyModels.calibration(300), settings, ProgressListener.NONE);
    }

    /** Threshold 0 (MLP) and p = 0 (1-bit) predict every neuron, so the model must compute the dense logits. */
    @ParameterizedTest
    @ValueSource(strings = {TinyModels.V5_2, TinyModels.V7})
    void everyNeuronPredictedGivesTheDenseLogits(String name) throws Exception {
        try (LoadedModel m = TinyModels.open(name)) {
            RwkvModel model = m.model();
            float[] dense = TinyModels.logits(m, TEXT);
            float scale = TinyModels.maxAbs(dense);
            SparseSettings all = SparseSettings.defaults(PredictorKind.BOTH).withThreshold(0).withOneBitSparsity(0)
                    .withMlp(FEW_EPOCHS).withSamplesPerLayer(200);
            SparseInstallation sparse = build(model, all);
            for (PredictorReport r : sparse.reports()) {
                assertEquals(1.0, r.recall(), r.toString());
                assertEquals(0.0, r.predictedSparsity(), r.toString());
            }

            // The V sum keeps the lane order of the one-row dense dot; the dense float32 sequence kernels now tile
            // differently, so float32 agrees to rounding here, and int8 (below) bit for bit.
            DenseChannelMix dense0 = (DenseChannelMix) model.blocks().get(0).channelMix();
            model.blocks().get(0).setChannelMix(sparse.mix(0));
            float d = TinyModels.maxDiff(dense, TinyModels.logits(m, TEXT));
            assertTrue(d <= 1e-5 * scale, "one sparse layer: max |diff| " + d + " vs logit scale " + scale);
            model.blocks().get(0).setChannelMix(dense0);

            sparse.install();
            sparse.resetCounters();
            float[] sparseLogits = TinyModels.logits(m, TEXT);
            d = TinyModels.maxDiff(dense, sparseLogits);
            assertTrue(d <= 1e-4, "all layers sparse: max |diff| " + d);
            assertEquals(1.0, sparse.meanActiveFraction());
            assertEquals(TEXT.length, sparse.mix(3).tokens());

            // Each token's neurons are computed the same way whether it arrives alone or in a sequence.
            RwkvState st = model.newState();
            float[] last = null;
            int n = 40, V = m.config().vocab();
            for (int t = 0; t < n; t++) last = model.forward(TEXT[t], st);
            assertArrayEquals(java.util.Arrays.copyOfRange(sparseLogits, (n - 1) * V, n * V), last);

            model.setThreads(2);
            // bit for bit before main's packed kernels; since the merge the v7 model differs in the last bits with two
            // threads (open: whether the dense time mix or this mix's split is the cause)
            float d2 = TinyModels.maxDiff(sparseLogits, TinyModels.logits(m, TEXT));
            assertTrue(d2 <= 1e-5 * scale, "two threads: max |diff| " + d2);
            model.setThreads(1);

            // A cache far smaller than the active set reads bundles again and again, and computes the same floats.
            for (int l = 0; l < model.blocks().size(); l++) model.blocks().get(l).setChannelMix(sparse.mix(l).withCacheNeurons(5));
            same(name, sparseLogits, TinyModels.logits(m, TEXT), scale, "a 5-neuron cache");
            var small = (SparseChannelMix) model.blocks().get(1).channelMix();
            assertTrue(small.cacheStats().hitRate() < 0.5, "mostly misses: " + small.cacheStats());

            sparse.restoreDense();
            same(name, dense, TinyModels.logits(m, TEXT), scale, "restored dense mixes");

            // int8: bundles quantized as int8 K and V are, and int8 dense mixes, agree bit for bit too.
            for (var b : model.blocks()) {
                DenseChannelMix dm = (DenseChannelMix) b.channelMix();
                for (String k : new String[] {"ffn.key", "ffn.value"}) {
                    var p = dm.projections().get(k);
                    dm.replace(k, Int8Projection.quantize(p.toArray(), p.outDim(), p.inDim()));
                }
            }
            float[] denseInt8 = TinyModels.logits(m, TEXT);
            for (int l = 0; l < model.blocks().size(); l++) {
                model.blocks().get(l).setChannelMix(sparse.mix(l).toInt8().withCacheNeurons(9));
            }
            same(name, denseInt8, TinyModels.logits(m, TEXT), scale, "int8 bundles through a 9-neuron cache");
        }
    }

    /**
     * Bit for bit on v5.2. Since main's packed kernels the dense v7 model itself gives logits that differ in the last
     * bits between runs in one JVM (the same dense mixes, before and after other work), so v7 is held to rounding.
     */
    private static void same(String model, float[] expected, float[] actual, float scale, String what) {
        if (model.equals(TinyModels.V5_2)) {
            assertArrayEquals(expected, actual, what);
        } else {
            float d = TinyModels.maxDiff(expected, actual);
            assertTrue(d <= 1e-5 * scale, what + ": max |diff| " + d);
        }
    }

    /** The paper's operating point changes the logits, but boundedly, and computes a fraction of the neurons. */
    @ParameterizedTest
    @ValueSource(strings = {TinyModels.V5_2, TinyModels.V7})
    void realisticThresholdChangesLogitsBoundedly(String name) throws Exception {
        try (LoadedModel m = TinyModels.open(name)) {
            float[] dense = TinyModels.logits(m, TEXT);
            SparseSettings s = SparseSettings.defaults(PredictorKind.MLP).withSamplesPerLayer(300)
                    .withMlp(new MlpTrainer.Settings(64, 40, 0.005, 42));
            SparseInstallation sparse = build(m.model(), s);
            sparse.install();
            float[] approx = TinyModels.logits(m, TEXT);
            sparse.restoreDense();
            double fraction = sparse.meanActiveFraction();
            int V = m.config().vocab(), agree = 0;
            for (int t = 0; t < TEXT.length; t++) if (argmax(dense, t * V, V) == argmax(approx, t * V, V)) agree++;
            double diff = TinyModels.maxDiff(dense, approx), meanDiff = 0, meanAbs = 0;
            for (int i = 0; i < dense.length; i++) {
                meanDiff += Math.abs(dense[i] - approx[i]) / dense.length;
                meanAbs += Math.abs(dense[i]) / dense.length;
            }
            System.out.printf("%s MLP@0.7: active %.3f, top-1 agreement %d/%d, max |logit diff| %.3f (max |logit| %.1f),"
                    + " mean |diff| %.3f (mean |logit| %.2f)%n", name, fraction, agree, TEXT.length, diff,
                    TinyModels.maxAbs(dense), meanDiff, meanAbs);
            for (PredictorReport r : sparse.reports()) System.out.println("  " + r);
            assertTrue(fraction > 0 && fraction < 0.9, "mean active fraction " + fraction);
            assertTrue(diff > 0, "a realistic threshold skips some active neurons");
            // Tiny models are far less sparse than real ones (45-57% zeros, not 72-96%), so recall costs more here.
            assertTrue(agree >= 0.7 * TEXT.length, "top-1 agreement " + agree + "/" + TEXT.length);
            assertTrue(meanDiff <= 0.15 * meanAbs, "mean |diff| " + meanDiff + " vs mean |logit| " + meanAbs);
            assertTrue(diff < 0.75 * TinyModels.maxAbs(dense), "max |diff| " + diff);
            assertArrayEquals(dense, TinyModels.logits(m, TEXT));
        }
    }

    static int argmax(float[] a, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (a[off + i] > a[off + best]) best = i;
        return best;
    }
}
