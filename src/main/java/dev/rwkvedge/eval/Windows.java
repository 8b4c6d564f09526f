package dev.rwkvedge.eval;

import dev.rwkvedge.task.ProgressListener;
import java.util.Arrays;

/**
 * Runs a token stream through a model in windows of {@link #SIZE} tokens, one state carried across all of them, so
 * row i of a window sees the whole stream before it. Windows only bound the memory of the logits (size x vocabulary);
 * progress and cancellation happen per window.
 */
final class Windows {
    /** Tokens fed per call. */
    static final int SIZE = 64;
    /** What an evaluation that runs windows counts as its items. */
    static final String KIND = "windows";

    interface Consumer {
        /** {@code rows} holds count x vocabulary logits; row i follows tokens[from + i]. */
        void accept(float[] rows, int from, int count);
    }

    private Windows() {}

    static int count(int tokens) {
        return (tokens + SIZE - 1) / SIZE;
    }

    static void run(LanguageModel model, int[] tokens, ProgressListener progress, String label, Consumer consumer) {
        run(model, tokens, progress, label, 0, count(tokens.length), consumer);
    }

    /**
     * One stream of several ({@code doneBefore} windows of {@code total} already ran): progress counts across all.
     * Returns the windows done after this stream.
     */
    static int run(LanguageModel model, int[] tokens, ProgressListener progress, String label, int doneBefore,
                   int total, Consumer consumer) {
        LanguageModel.State state = model.newState();
        int windows = count(tokens.length);
        for (int w = 0; w < windows; w++) {
            progress.checkCancelled();
            int from = w * SIZE, to = Math.min(tokens.length, from + SIZE);
            consumer.accept(model.feed(Arrays.copyOfRange(tokens, from, to), state, true), from, to - from);
            progress.update(doneBefore + w + 1, total, label + ": window " + (doneBefore + w + 1) + " of " + total);
        }
        return doneBefore + windows;
    }
}
