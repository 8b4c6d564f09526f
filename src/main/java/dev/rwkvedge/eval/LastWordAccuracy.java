package dev.rwkvedge.eval;

import dev.rwkvedge.task.ProgressListener;
import dev.rwkvedge.tokenizer.Tokenizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LAMBADA (openai) as lm-evaluation-harness scores it. Each passage runs from a fresh state. {@code accuracy}: the
 * share of passages whose last word greedy decoding reproduces token for token. {@code perplexity}: lm-eval's
 * aggregation exp(-mean over passages of the word's total log-likelihood), a per-word (not per-token) perplexity, with
 * its 95 % bootstrap interval over passages ({@code perplexity_ci_low}, {@code perplexity_ci_high}).
 */
public final class LastWordAccuracy {
    public static final String TASK = "lastword";

    private LastWordAccuracy() {}

    public static EvalResult evaluate(LanguageModel model, Tokenizer tokenizer, List<LastWordItem> items,
                                      ProgressListener progress) {
        if (items.isEmpty()) throw new IllegalArgumentException("no passages to evaluate");
        long start = System.nanoTime();
        int correct = 0;
        double sumLogLikelihood = 0;
        double[] nll = new double[items.size()];
        long tokens = 0;
        for (int n = 0; n < items.size(); n++) {
            progress.checkCancelled();
            LastWordItem item = items.get(n);
            ContextPair pair = ContextPair.encode(tokenizer, item.context(), item.continuation(), n);
            LanguageModel.State state = model.newState();
            float[] afterContext = model.feed(pair.context(), state, false);
            ContinuationScore s = ContinuationScore.score(model, state, afterContext, pair.continuation());
            if (s.greedy()) correct++;
            sumLogLikelihood += s.logLikelihood();
            nll[n] = -s.logLikelihood();
            tokens += pair.context().length + pair.continuation().length - 1;
            progress.update(n + 1, items.size(), "lastword: " + correct + " of " + (n + 1) + " correct");
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accuracy", correct / (double) items.size());
        m.put("perplexity", Math.exp(-sumLogLikelihood / items.size()));
        // passages are independent: resampled one by one
        Bootstrap.Interval ci = Bootstrap.perplexity(nll, 1);
        m.put("perplexity_ci_low", ci.low());
        m.put("perplexity_ci_high", ci.high());
        return EvalResult.timed(TASK, m, items.size(), "passages", tokens, start);
    }
}
