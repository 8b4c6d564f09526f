package dev.rwkvedge.compress.sparse;

import dev.rwkvedge.runtime.ForwardObserver;
import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.runtime.RwkvState;
import dev.rwkvedge.task.ProgressListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Collects (x_k, active mask) samples per layer while the model reads calibration tokens, through the runtime's
 * observer hook. Memory is bounded by reservoir sampling (algorithm R, fixed seed): each layer keeps at most
 * {@code maxSamples} tokens, a uniform draw from all tokens fed, so a long calibration text is represented evenly
 * instead of only by its beginning. The same tokens are kept in every layer.
 */
public final class ActivationSampler {
    /** Tokens fed per call: progress and cancellation are checked between chunks. */
    static final int CHUNK = 64;

    private final int maxSamples;
    private final long seed;

    public ActivationSampler(int maxSamples, long seed) {
        if (maxSamples < 1) throw new IllegalArgumentException("maxSamples must be positive");
        this.maxSamples = maxSamples;
        this.seed = seed;
    }

    /**
     * Feeds {@code tokens} through the model from a fresh state and returns one {@link LayerSamples} per layer. The
     * model's observer is replaced during the run and cleared afterwards (the runtime offers no way to read it back).
     */
    public List<LayerSamples> sample(RwkvModel model, int[] tokens, ProgressListener progress) {
        int L = model.blocks().size(), C = model.config().embd(), F = model.config().ffn();
        Reservoir reservoir = new Reservoir(L, C, F, Math.min(maxSamples, tokens.length), seed);
        RwkvState state = model.newState();
        model.setObserver(reservoir);
        try {
            for (int from = 0; from < tokens.length; from += CHUNK) {
                progress.checkCancelled();
                int to = Math.min(tokens.length, from + CHUNK);
                reservoir.beginChunk(to - from);
                model.forwardSequence(Arrays.copyOfRange(tokens, from, to), state, false);
                progress.update(to, tokens.length, "sampling activations");
            }
        } finally {
            model.setObserver(null);
        }
        return reservoir.layers();
    }

    /** Decides per token which slot (if any) it takes, then fills that slot in every layer. */
    private static final class Reservoir implements ForwardObserver {
        private final int C, F, capacity, words;
        private final float[][] x;
        private final long[][] masks;
        private final SplittableRandom rnd;
        private long seen;
        private int[] slots = new int[0];
        private int filled;

        Reservoir(int L, int C, int F, int capacity, long seed) {
            this.C = C;
            this.F = F;
            this.capacity = capacity;
            this.words = LayerSamples.wordsPerRow(F);
            this.x = new float[L][capacity * C];
            this.masks = new long[L][capacity * words];
            this.rnd = new SplittableRandom(seed);
        }

        void beginChunk(int T) {
            slots = new int[T];
            for (int t = 0; t < T; t++, seen++) {
                if (seen < capacity) slots[t] = (int) seen;
                else {
                    long j = rnd.nextLong(seen + 1);
                    slots[t] = j < capacity ? (int) j : -1;
                }
            }
            filled = (int) Math.min(capacity, seen);
        }

        @Override
        public void projectionInput(int layer, String name, float[] in, int T, int width) {
            if (!name.equals("ffn.key")) return;
            for (int t = 0; t < T; t++) {
                if (slots[t] >= 0) System.arraycopy(in, t * C, x[layer], slots[t] * C, C);
            }
        }

        @Override
        public void channelMixActivation(int layer, float[] h, int T, int width) {
            for (int t = 0; t < T; t++) {
                if (slots[t] < 0) continue;
                int o = slots[t] * words;
                Arrays.fill(masks[layer], o, o + words, 0L);
                for (int j = 0; j < F; j++) if (h[t * F + j] > 0) masks[layer][o + (j >>> 6)] |= 1L << j;
            }
        }

        List<LayerSamples> layers() {
            List<LayerSamples> out = new ArrayList<>();
            for (int l = 0; l < x.length; l++) {
                out.add(new LayerSamples(C, F, filled, Arrays.copyOf(x[l], filled * C),
                        Arrays.copyOf(masks[l], filled * words)));
            }
            return out;
        }
    }
}
