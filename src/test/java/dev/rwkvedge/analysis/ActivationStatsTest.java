package dev.rwkvedge.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.runtime.ForwardObserver;
import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.task.CancelledException;
import dev.rwkvedge.task.ProgressListener;
import dev.rwkvedge.tokenizer.Tokenizers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Activation statistics against counts and sums computed here from raw observed inputs and the stored weights. */
class ActivationStatsTest {
    static final String TEXT = "The quick brown fox jumps over the lazy dog. In the beginning was the word, and the "
            + "word was with the model; a small recurrent network reads it one byte at a time, and the state carries "
            + "everything it has seen so far into the next step of the sequence.";

    /** Keeps copies of every observed input (fine for a tiny model and a short text). */
    static final class Recorder implements ForwardObserver {
        final Map<String, List<float[]>> inputs = new HashMap<>();
        final Map<Integer, List<float[]>> activations = new HashMap<>();

        @Override
        public void projectionInput(int layer, String name, float[] x, int T, int width) {
            inputs.computeIfAbsent(layer + " " + name, k -> new ArrayList<>()).add(java.util.Arrays.copyOf(x, T * width));
        }

        @Override
        public void channelMixActivation(int layer, float[] h, int T, int width) {
            activations.computeIfAbsent(layer, k -> new ArrayList<>()).add(java.util.Arrays.copyOf(h, T * width));
        }
    }

    record Tee(ForwardObserver a, ForwardObserver b) implements ForwardObserver {
        @Override
        public void projectionInput(int layer, String name, float[] x, int T, int width) {
            a.projectionInput(layer, name, x, T, width);
            b.projectionInput(layer, name, x, T, width);
        }

        @Override
        public void channelMixActivation(int layer, float[] h, int T, int width) {
            a.channelMixActivation(layer, h, T, width);
            b.channelMixActivation(layer, h, T, width);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-rwkv-7v0-834K-FP32.bin", "tiny-rwkv-5v2-730K-FP32.bin"})
    void statisticsMatchIndependentCounts(String file) throws Exception {
        try (LoadedModel m = LoadedModel.open(Reference.file("rwkv.cpp/tests/" + file))) {
            int[] tokens = Tokenizers.forModel(m.checkpoint(), m.config().vocab(), null).encode(TEXT);
            RwkvModel model = m.model();
            ActivationCollector collector = new ActivationCollector(GramSelection.DEFAULT);
            Recorder rec = new Recorder();
            model.setObserver(new Tee(collector, rec));
            model.forwardSequence(tokens, model.newState(), false);
            model.setObserver(null);
            ActivationStats stats = collector.stats(tokens.length);

            int C = m.config().embd(), F = m.config().ffn();
            assertEquals(m.config().layers(), stats.channelMix().size());
            for (LayerActivity l : stats.channelMix()) {
                assertEquals(tokens.length, l.tokens());
                assertEquals(F, l.width());
                // sparsity from relu(K x)^2 computed here from the observed ffn.key input and the stored key weights
                float[] key = m.checkpoint().tensors().get("blocks." + l.layer() + ".ffn.key.weight").toFloats();
                long zeros = 0, borderline = 0;
                for (float[] xk : rec.inputs.get(l.layer() + " ffn.key")) {
                    for (int t = 0; t < xk.length / C; t++) {
                        for (int j = 0; j < F; j++) {
                            double s = 0, mag = 0;
                            for (int c = 0; c < C; c++) {
                                s += (double) key[j * C + c] * xk[t * C + c];
                                mag += Math.abs((double) key[j * C + c] * xk[t * C + c]);
                            }
                            if (s <= 0) zeros++;
                            if (Math.abs(s) <= 1e-5 * mag) borderline++;
                        }
                    }
                }
                assertTrue(Math.abs(zeros - l.zeros()) <= borderline,
                        "layer " + l.layer() + ": " + l.zeros() + " zeros, " + zeros + " by hand (" + borderline + " borderline)");
                // and exactly the zeros of the activations the runtime produced
                long direct = rec.activations.get(l.layer()).stream()
                        .mapToLong(h -> { long z = 0; for (float v : h) if (v == 0f) z++; return z; }).sum();
                assertEquals(direct, l.zeros());
                double[] f = l.firingFrequency();
                for (double v : f) assertTrue(v >= 0 && v <= 1);
                assertEquals(1 - l.sparsity(), l.meanFiring(), 1e-12);
                assertEquals(l.meanFiring(), java.util.Arrays.stream(f).average().orElseThrow(), 1e-12);
                assertTrue(l.sparsity() > 0 && l.sparsity() < 1, "sparsity " + l.sparsity());
            }

            for (String p : new String[] {"att.key", "att.output", "ffn.key", "ffn.value"}) {
                for (int layer = 0; layer < m.config().layers(); layer++) {
                    GramMatrix g = stats.gram(layer, p);
                    int w = p.equals("ffn.value") ? F : C;
                    assertEquals(w, g.dim(), p);
                    assertEquals(tokens.length, g.count());
                    assertGramEquals(rec.inputs.get(layer + " " + p), w, g, layer + " " + p);
                }
            }
        }
    }

    private static void assertGramEquals(List<float[]> inputs, int w, GramMatrix g, String what) {
        double[] ref = new double[w * w];
        for (float[] x : inputs) {
            for (int t = 0; t < x.length / w; t++) {
                for (int i = 0; i < w; i++) {
                    for (int j = 0; j < w; j++) ref[i * w + j] += (double) x[t * w + i] * x[t * w + j];
                }
            }
        }
        double max = java.util.Arrays.stream(ref).map(Math::abs).max().orElseThrow();
        double[] got = g.toArray();
        for (int i = 0; i < w * w; i++) assertEquals(ref[i], got[i], 1e-10 * max, what + " element " + i);
        assertEquals(got[1], got[w], 0, "symmetric");
    }

    @Test
    void profilerFeedsEveryTokenAndSelectsGrams() throws Exception {
        try (LoadedModel m = LoadedModel.open(Reference.file("rwkv.cpp/tests/tiny-rwkv-7v0-834K-FP32.bin"))) {
            int[] tokens = Tokenizers.forModel(m.checkpoint(), 256, null).encode(TEXT + TEXT);
            AtomicInteger updates = new AtomicInteger();
            ActivationStats s = ActivationProfiler.profile(m.model(), tokens, GramSelection.upToWidth(64),
                    (done, total, msg) -> updates.incrementAndGet());
            assertEquals(tokens.length, s.tokens());
            assertTrue(updates.get() >= tokens.length / ActivationProfiler.CHUNK);
            assertNull(s.gram(0, "ffn.value"), "256 wide, above the selection");
            assertEquals(64, s.gram(0, "ffn.key").dim());
            assertEquals(s.grams().values().stream().mapToLong(g -> 8L * g.dim() * g.dim()).sum(), s.gramBytes());
            assertTrue(s.grams().values().stream().allMatch(g -> g.dim() <= 64));
            ActivationStats none = ActivationProfiler.profile(m.model(), tokens, GramSelection.NONE, ProgressListener.NONE);
            assertTrue(none.grams().isEmpty());
            // a continuous run in chunks sees the same activations as one long call
            assertEquals(s.channelMix().get(1).zeros(), none.channelMix().get(1).zeros());
        }
    }

    @Test
    void cancellationStopsBetweenChunks() throws Exception {
        try (LoadedModel m = LoadedModel.open(Reference.file("rwkv.cpp/tests/tiny-rwkv-7v0-834K-FP32.bin"))) {
            int[] tokens = Tokenizers.forModel(m.checkpoint(), 256, null).encode(TEXT + TEXT);
            ProgressListener cancelAfterFirstChunk = new ProgressListener() {
                long done;

                @Override
                public void update(long d, long total, String message) {
                    done = d;
                }

                @Override
                public boolean isCancelled() {
                    return done > 0;
                }
            };
            assertThrows(CancelledException.class,
                    () -> ActivationProfiler.profile(m.model(), tokens, GramSelection.DEFAULT, cancelAfterFirstChunk));
        }
    }
}
