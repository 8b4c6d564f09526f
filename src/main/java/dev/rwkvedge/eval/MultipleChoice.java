package dev.rwkvedge.eval;

import dev.rwkvedge.task.ProgressListener;
import dev.rwkvedge.tokenizer.Tokenizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Zero-shot multiple choice as lm-evaluation-harness scores it. {@code acc}: the gold choice has the highest summed
 * log-likelihood of its tokens given the context. {@code acc_norm}: the same after dividing each by the choice's
 * length in characters as lm-eval does (Python's len, i.e. code points, of the choice as the data gives it, without
 * a delimiter added here). Ties go to the first choice (numpy argmax). The context runs once and each choice
 * continues from a copy of its state, which is exact for an RNN and saves (choices - 1) context passes.
 */
public final class MultipleChoice {
    public static final String TASK = "choice";

    private MultipleChoice() {}

    public static EvalResult evaluate(LanguageModel model, Tokenizer tokenizer, List<ChoiceItem> items,
                                      ProgressListener progress) {
        if (items.isEmpty()) throw new IllegalArgumentException("no questions to evaluate");
        long start = System.nanoTime();
        int acc = 0, accNorm = 0;
        long tokens = 0;
        for (int n = 0; n < items.size(); n++) {
            progress.checkCancelled();
            ChoiceItem item = items.get(n);
            LanguageModel.State afterContext = null;
            float[] lastRow = null;
            int best = 0, bestNorm = 0;
            double bestLl = Double.NEGATIVE_INFINITY, bestLlNorm = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < item.choices().size(); c++) {
                String choice = item.choices().get(c);
                ContextPair pair = ContextPair.encode(tokenizer, item.context(), joined(item.context(), choice), n);
                if (afterContext == null) {
                    afterContext = model.newState();
                    lastRow = model.feed(pair.context(), afterContext, false);
                    tokens += pair.context().length;
                }
                ContinuationScore s = ContinuationScore.score(model, afterContext.copy(), lastRow, pair.continuation());
                tokens += s.tokens() - 1;
                double norm = s.logLikelihood() / choice.codePointCount(0, choice.length());
                if (s.logLikelihood() > bestLl) {
                    bestLl = s.logLikelihood();
                    best = c;
                }
                if (norm > bestLlNorm) {
                    bestLlNorm = norm;
                    bestNorm = c;
                }
            }
            if (best == item.gold()) acc++;
            if (bestNorm == item.gold()) accNorm++;
            progress.update(n + 1, items.size(), "choice: " + acc + " of " + (n + 1) + " correct");
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("acc", acc / (double) items.size());
        m.put("acc_norm", accNorm / (double) items.size());
        return EvalResult.timed(TASK, m, items.size(), "questions", tokens, start);
    }

    /**
     * lm-evaluation-harness puts its target delimiter, one space, between context and choice. Our sample files (and
     * many exports) already start each choice with the space, so add one only where neither side has whitespace.
     */
    static String joined(String context, String choice) {
        boolean spaced = choice.isEmpty() || Character.isWhitespace(choice.charAt(0))
                || (!context.isEmpty() && Character.isWhitespace(context.charAt(context.length() - 1)));
        return spaced ? choice : " " + choice;
    }
}
