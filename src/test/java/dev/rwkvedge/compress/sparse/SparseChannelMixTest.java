package dev.rwkvedge.compress.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.runtime.DenseChannelMix;
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

            // One layer sparse: its output differs from the dense one only by the order of the V sum.
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
            assertArrayEquals(sparseLogits, TinyModels.logits(m, TEXT), "two threads compute the same floats");
            model.setThreads(1);

            sparse.restoreDense();
            assertArrayEquals(dense, TinyModels.logits(m, TEXT), "restored dense mixes give the same logits, bit for bit");
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
