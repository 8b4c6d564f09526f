package dev.rwkvedge.eval;

import dev.rwkvedge.task.ProgressListener;
import dev.rwkvedge.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token-level perplexity of a text. Windowing: the whole text is one stream and the recurrent state carries across
 * windows, so every token is predicted from everything before it (RWKV's native long context; no overlap or
 * re-feeding as transformer evaluations need). The first token has no prediction and is not scored; no start token is
 * fed, so nothing outside the text is assumed. See {@link Windows}.
 *
 * <p>Metrics: {@code cross_entropy} (mean NLL in nats per scored token), {@code perplexity} = exp of it,
 * {@code bits_per_byte} = total NLL / ln 2 / UTF-8 bytes of the scored tokens (comparable across vocabularies),
 * {@code scored_tokens} and {@code bytes}.
 */
public final class Perplexity {
    public static final String TASK = "perplexity";
    private Perplexity() {}

    /** Tokenizes the text and scores at most {@code maxTokens} of its tokens (all when maxTokens <= 0). */
    public static EvalResult evaluate(LanguageModel model, Tokenizer tokenizer, String text, int maxTokens,
                                      ProgressListener progress) {
        int[] tokens = tokenizer.encode(text);
        if (maxTokens > 0 && tokens.length > maxTokens) tokens = Arrays.copyOf(tokens, maxTokens);
        return evaluate(model, tokenizer, tokens, progress);
    }

    /** Scores tokens[1 ..] given the preceding ones; the tokenizer only measures the scored text in bytes. */
    public static EvalResult evaluate(LanguageModel model, Tokenizer tokenizer, int[] tokens, ProgressListener progress) {
        if (tokens.length < 2) throw new IllegalArgumentException("perplexity needs a text of at least two tokens");
        long start = System.nanoTime();
        int V = model.vocabulary();
        int scored = tokens.length - 1;
        double[] nll = new double[1];
        // row i of a window follows tokens[from + i] and predicts tokens[from + i + 1]
        Windows.run(model, Arrays.copyOf(tokens, scored), progress, TASK, (rows, from, count) -> {
            for (int i = 0; i < count; i++) nll[0] -= LogProbs.logProb(rows, i * V, V, tokens[from + i + 1]);
        });
        long bytes = tokenizer.decodeBytes(Arrays.copyOfRange(tokens, 1, tokens.length)).length;
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("cross_entropy", nll[0] / scored);
        m.put("perplexity", Math.exp(nll[0] / scored));
        m.put("bits_per_byte", bytes > 0 ? nll[0] / Math.log(2) / bytes : Double.NaN);
        m.put("scored_tokens", (double) scored);
        m.put("bytes", (double) bytes);
        return EvalResult.timed(TASK, m, Windows.count(scored), scored, start);
    }
}
