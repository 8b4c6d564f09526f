package dev.rwkvedge.analysis;

import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.runtime.RwkvState;
import dev.rwkvedge.task.ProgressListener;
import java.util.Arrays;

/**
 * Runs calibration tokens through a model in chunks with an {@link ActivationCollector} as its observer. The text is
 * one continuous sequence (the state carries over between chunks), as during generation. Progress is reported and
 * cancellation checked after each chunk; the model's observer is cleared afterwards, whatever happens.
 */
public final class ActivationProfiler {
    /** Tokens per forward call: the runtime's own sequence chunk, so no call allocates more than it would. */
    public static final int CHUNK = 64;

    private ActivationProfiler() {}

    public static ActivationStats profile(RwkvModel model, int[] tokens, GramSelection grams, ProgressListener progress) {
        if (tokens.length == 0) throw new IllegalArgumentException("the calibration text gives no tokens");
        ActivationCollector collector = new ActivationCollector(grams);
        RwkvState state = model.newState();
        model.setObserver(collector);
        try {
            progress.update(0, tokens.length, "calibration");
            for (int from = 0; from < tokens.length; from += CHUNK) {
                progress.checkCancelled();
                int to = Math.min(tokens.length, from + CHUNK);
                model.forwardSequence(Arrays.copyOfRange(tokens, from, to), state, false);
                progress.update(to, tokens.length, "calibration");
            }
        } finally {
            model.setObserver(null);
        }
        return collector.stats(tokens.length);
    }
}
