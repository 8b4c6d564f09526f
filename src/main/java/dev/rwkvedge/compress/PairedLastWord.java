package dev.rwkvedge.compress;

import dev.rwkvedge.eval.ContextPair;
import dev.rwkvedge.eval.ContinuationScore;
import dev.rwkvedge.eval.LanguageModel;
import dev.rwkvedge.eval.LastWordItem;
import dev.rwkvedge.task.ProgressListener;
import dev.rwkvedge.tokenizer.Tokenizer;
import java.util.List;

/**
 * Last-word accuracy item by item, so that two models can be compared on the same items: the paired difference of
 * their accuracies has a far narrower interval than either accuracy alone (most items are right or wrong for both).
 * Each item is scored as {@link dev.rwkvedge.eval.LastWordAccuracy} scores it.
 */
public final class PairedLastWord {
    /** @param correct per item, whether greedy decoding reproduced the last word; @param logLikelihood the word's sum */
    public record Scores(boolean[] correct, double logLikelihood) {
        public double accuracy() {
            int n = 0;
            for (boolean c : correct) if (c) n++;
            return n / (double) correct.length;
        }

        /** lm-eval's word perplexity: exp(-mean log-likelihood of the word). */
        public double perplexity() {
            return Math.exp(-logLikelihood / correct.length);
        }
    }

    /** Accuracy of {@code other} minus that of {@code base} on the same items, with its 95 % interval. */
    public record Difference(double delta, double low, double high) {}

    private PairedLastWord() {}

    public static Scores score(LanguageModel model, Tokenizer tokenizer, List<LastWordItem> items, ProgressListener progress) {
        boolean[] correct = new boolean[items.size()];
        double ll = 0;
        for (int n = 0; n < items.size(); n++) {
            progress.checkCancelled();
            LastWordItem item = items.get(n);
            ContextPair pair = ContextPair.encode(tokenizer, item.context(), item.continuation());
            LanguageModel.State state = model.newState();
            float[] afterContext = model.feed(pair.context(), state, false);
            ContinuationScore s = ContinuationScore.score(model, state, afterContext, pair.continuation());
            correct[n] = s.greedy();
            ll += s.logLikelihood();
            progress.update(n + 1, items.size(), "lastword");
        }
        return new Scores(correct, ll);
    }

    /** Normal approximation of the mean of the per-item differences (each -1, 0 or 1). */
    public static Difference compare(boolean[] base, boolean[] other) {
        if (base.length != other.length || base.length < 2) throw new IllegalArgumentException("need the same items, at least 2");
        int n = base.length;
        double sum = 0, sq = 0;
        for (int i = 0; i < n; i++) {
            int d = (other[i] ? 1 : 0) - (base[i] ? 1 : 0);
            sum += d;
            sq += d * d;
        }
        double mean = sum / n;
        double var = (sq - n * mean * mean) / (n - 1);
        double half = 1.959964 * Math.sqrt(var / n);
        return new Difference(mean, mean - half, mean + half);
    }
}
