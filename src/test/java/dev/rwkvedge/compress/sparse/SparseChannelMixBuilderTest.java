package dev.rwkvedge.compress.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.runtime.DenseChannelMix;
import dev.rwkvedge.task.CancelledException;
import dev.rwkvedge.task.ProgressListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Settings reach the right layers, the knobs move without retraining, and the byte accounting adds up. */
class SparseChannelMixBuilderTest {

    @Test
    void perLayerSparsityThresholdKnobAndAccounting() throws Exception {
        try (LoadedModel m = TinyModels.open(TinyModels.V5_2)) {
            int L = m.config().layers(), C = m.config().embd(), F = m.config().ffn();
            double[] p = new double[L];
            for (int l = 0; l < L; l++) p[l] = 0.5 + 0.03 * l;
            List<Long> done = new ArrayList<>();
            ProgressListener progress = (d, total, message) -> done.add(d);
            SparseInstallation sparse = new SparseChannelMixBuilder(m.model()).build(TinyModels.calibration(200),
                    SparseSettings.defaults(PredictorKind.ONE_BIT).withLayerSparsity(p).withSamplesPerLayer(100), progress);
            for (int i = 1; i < done.size(); i++) assertTrue(done.get(i) >= done.get(i - 1), "progress went back: " + done);
            assertEquals(1000L, done.getLast());
            for (int l = 0; l < L; l++) {
                PredictorReport r = sparse.reports().get(l);
                assertEquals(Math.round(p[l] * F) / (double) F, r.predictedSparsity(), 1e-12, "layer " + l);
                assertEquals(p[l], ((OneBitPredictor) sparse.mix(l).predictor()).sparsity());
            }

            DenseChannelMix dense = (DenseChannelMix) m.model().blocks().get(3).channelMix();
            SparseChannelMix mix = sparse.mix(3);
            long receptance = dense.projections().get("ffn.receptance").residentBytes();
            long fixed = 4L * 2 * C + receptance + mix.predictor().residentBytes();
            // every bundle cached: the bytes of dense K and V, plus the cache's slot table (4 per neuron), LRU links
            // (12 per slot) and its staging block for runs of misses (64 bundles)
            long bookkeeping = 4L * F + 12L * F + 64 * 8L * C;
            assertEquals(8L * C * F + bookkeeping + fixed, mix.residentBytes());
            assertEquals(dense.residentBytes() - 4L * 2 * C * F + 8L * C * F + bookkeeping + mix.predictor().residentBytes(),
                    mix.residentBytes(), "bundled K/V take exactly the bytes of dense K and V");
            SparseChannelMix quarter = mix.withCacheNeurons(F / 4);
            assertEquals(8L * C * (F / 4) + 4L * F + 12L * (F / 4) + Math.min(64, F / 4) * 8L * C + fixed,
                    quarter.residentBytes(), "a quarter cache holds a quarter of the bundles");

            sparse.install();
            PredictorReport moved = sparse.setThreshold(3, 0.9);
            assertEquals(Math.round(0.9 * F) / (double) F, moved.predictedSparsity(), 1e-12);
            assertSame(sparse.mix(3), m.model().blocks().get(3).channelMix(), "a moved knob takes effect when installed");
            sparse.resetCounters();
            TinyModels.logits(m, TinyModels.bytes("knob"));
            assertEquals(F - Math.round(0.9 * F), sparse.mix(3).meanNeuronsPerToken());
            var sweep = sparse.thresholdSweep(3, 0, 0.5, 0.9);
            assertEquals(1.0, sweep.getFirst().recall());
            assertEquals(moved.recall(), sweep.getLast().recall());
            sparse.restoreDense();
            assertInstanceOf(DenseChannelMix.class, m.model().blocks().get(3).channelMix());
        }
    }

    @Test
    void rejectsMismatchedSettingsAndStopsWhenCancelled() throws Exception {
        try (LoadedModel m = TinyModels.open(TinyModels.V7)) {
            var builder = new SparseChannelMixBuilder(m.model());
            int[] text = TinyModels.calibration(80);
            assertThrows(IllegalArgumentException.class, () -> builder.build(text,
                    SparseSettings.defaults(PredictorKind.MLP).withLayerThresholds(0.5, 0.6), ProgressListener.NONE));
            ProgressListener cancelAfterSampling = new ProgressListener() {
                long last;

                @Override
                public void update(long done, long total, String message) {
                    last = done;
                }

                @Override
                public boolean isCancelled() {
                    return last >= 200;
                }
            };
            assertThrows(CancelledException.class, () -> builder.build(text,
                    SparseSettings.defaults(PredictorKind.MLP).withSamplesPerLayer(50), cancelAfterSampling));
            assertInstanceOf(DenseChannelMix.class, m.model().blocks().get(0).channelMix(), "nothing installed");
            assertEquals(PredictorKind.ONE_BIT, PredictorKind.parse("1bit"));
            assertEquals(PredictorKind.BOTH, PredictorKind.parse("both"));
        }
    }
}
