package dev.rwkvedge.eval;

import java.util.Arrays;

/**
 * The log-likelihood of a continuation given a context, and whether greedy decoding reproduces it: lm-evaluation-
 * harness's {@code (loglikelihood, is_greedy)}, where greedy means the argmax at every continuation position (given
 * the true previous tokens) is the continuation's token.
 */
public record ContinuationScore(double logLikelihood, boolean greedy, int tokens) {

    /**
     * Scores {@code continuation} from a state that has consumed the context, whose last logits row is
     * {@code afterContext}. Advances the state by all continuation tokens but the last (its prediction is not needed).
     */
    public static ContinuationScore score(LanguageModel model, LanguageModel.State state, float[] afterContext,
                                          int[] continuation) {
        int V = model.vocabulary();
        double ll = LogProbs.logProb(afterContext, 0, V, continuation[0]);
        boolean greedy = LogProbs.argmax(afterContext, 0, V) == continuation[0];
        if (continuation.length > 1) {
            float[] rows = model.feed(Arrays.copyOf(continuation, continuation.length - 1), state, true);
            for (int i = 1; i < continuation.length; i++) {
                int off = (i - 1) * V;
                ll += LogProbs.logProb(rows, off, V, continuation[i]);
                greedy &= LogProbs.argmax(rows, off, V) == continuation[i];
            }
        }
        return new ContinuationScore(ll, greedy, continuation.length);
    }
}
