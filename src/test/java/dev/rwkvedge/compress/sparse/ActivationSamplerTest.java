package dev.rwkvedge.compress.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.task.CancelledException;
import dev.rwkvedge.task.ProgressListener;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ActivationSamplerTest {

    /** The masks must say exactly which relu(K x_k) are positive, recomputed here from the file's ffn.key. */
    @ParameterizedTest
    @ValueSource(strings = {TinyModels.V5_2, TinyModels.V7})
    void masksMatchAnIndependentKeyProjection(String name) throws Exception {
        try (LoadedModel m = TinyModels.open(name)) {
            int[] tokens = TinyModels.calibration(400);
            List<LayerSamples> layers = new ActivationSampler(250, 7).sample(m.model(), tokens, ProgressListener.NONE);
            assertEquals(m.config().layers(), layers.size());
            long checked = 0, ambiguous = 0;
            for (int l = 0; l < layers.size(); l++) {
                LayerSamples s = layers.get(l);
                assertEquals(250, s.count());
                int C = s.inputs(), F = s.neurons();
                float[] k = TinyModels.keyWeights(m, l);
                for (int i = 0; i < s.count(); i++) {
                    for (int j = 0; j < F; j++) {
                        double dot = 0, norm = 0;
                        for (int c = 0; c < C; c++) {
                            double p = (double) k[j * C + c] * s.inputsArray()[s.inputOffset(i) + c];
                            dot += p;
                            norm += Math.abs(p);
                        }
                        // Float rounding decides the sign of a dot within a few ulps of zero; there no answer is wrong.
                        if (Math.abs(dot) <= 1e-6 * norm) {
                            ambiguous++;
                            continue;
                        }
                        assertEquals(dot > 0, s.active(i, j), "layer " + l + " sample " + i + " neuron " + j);
                        checked++;
                    }
                }
            }
            assertTrue(ambiguous * 1000 < checked, ambiguous + " ambiguous of " + checked);
        }
    }

    @Test
    void keepsEveryTokenWhenThereIsRoomAndStopsOnCancel() throws Exception {
        try (LoadedModel m = TinyModels.open(TinyModels.V5_2)) {
            int[] tokens = TinyModels.calibration(150);
            List<LayerSamples> all = new ActivationSampler(1000, 1).sample(m.model(), tokens, ProgressListener.NONE);
            assertEquals(150, all.get(0).count());
            ProgressListener cancelled = new ProgressListener() {
                @Override
                public void update(long done, long total, String message) {}

                @Override
                public boolean isCancelled() {
                    return true;
                }
            };
            assertThrows(CancelledException.class, () -> new ActivationSampler(10, 1).sample(m.model(), tokens, cancelled));
        }
    }
}
