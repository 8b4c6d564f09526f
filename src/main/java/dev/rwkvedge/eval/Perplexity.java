package dev.rwkvedge.eval;

import dev.rwkvedge.task.ProgressListener;
import dev.rwkvedge.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Token-level perplexity of a text, in one of two {@link Segmentation}s. Within a stream the recurrent state carries
 * across windows (see {@link Windows}), so every token is predicted from everything before it in its stream: RWKV's
 * native long context, no overlap or re-feeding as transformer evaluations need. The first token of a stream has
 * no prediction and is not scored; no start token is fed, so nothing outside the text is assumed.
 *
 * <p>Metrics: {@code cross_entropy} (mean NLL in nats per scored token), {@code perplexity} = exp of it,
 * {@code bits_per_byte} = total NLL / ln 2 / UTF-8 bytes of the scored tokens (comparable across vocabularies),
 * {@code scored_tokens}, {@code bytes} and {@code documents}.
 */
public final class Perplexity {
    public static final String TASK = "perplexity";

    /** How a text becomes streams. */
    public enum Segmentation {
        /** The whole text is one stream. */
        STREAM,
        /**
         * Each blank-line-separated document ({@code text.strip("\n").split("\n\n")}, without the separators) is a
         * stream from a fresh state: how the sample model's own evaluation reports held-out perplexity per chapter.
         */
        DOCUMENTS
    }

    private Perplexity() {}

    /**
     * Tokenizes the text and scores at most {@code maxTokens} of its tokens (all when maxTokens <= 0), counting the
     * unscored first token of each stream.
     */
    public static EvalResult evaluate(LanguageModel model, Tokenizer tokenizer, String text, Segmentation segmentation,
                                      int maxTokens, ProgressListener progress) {
        List<String> parts = segmentation == Segmentation.STREAM ? List.of(text) : documents(text);
        List<int[]> streams = new ArrayList<>();
        long budget = maxTokens > 0 ? maxTokens : Long.MAX_VALUE;
        for (String part : parts) {
            if (budget < 2) break;
            int[] tokens = tokenizer.encode(part);
            if (tokens.length > budget) tokens = Arrays.copyOf(tokens, (int) budget);
            if (tokens.length < 2) continue; // nothing to score
            budget -= tokens.length;
            streams.add(tokens);
        }
        return evaluate(model, tokenizer, streams, progress);
    }

    /** The whole text as one stream. */
    public static EvalResult evaluate(LanguageModel model, Tokenizer tokenizer, String text, int maxTokens,
                                      ProgressListener progress) {
        return evaluate(model, tokenizer, text, Segmentation.STREAM, maxTokens, progress);
    }

    /** Scores tokens[1 ..] of each stream given the preceding ones; the tokenizer only measures scored bytes. */
    public static EvalResult evaluate(LanguageModel model, Tokenizer tokenizer, List<int[]> streams,
                                      ProgressListener progress) {
        if (streams.isEmpty()) throw new IllegalArgumentException("perplexity needs a text of at least two tokens");
        long start = System.nanoTime();
        int V = model.vocabulary();
        int total = streams.stream().mapToInt(s -> Windows.count(s.length - 1)).sum();
        int done = 0;
        long scored = 0, bytes = 0;
        // every scored token's NLL, in order, for the bootstrap interval
        double[] perToken = new double[streams.stream().mapToInt(s -> s.length - 1).sum()];
        double[] nll = new double[1];
        for (int[] tokens : streams) {
            int base = (int) scored;
            // row i of a window follows tokens[from + i] and predicts tokens[from + i + 1]
            done = Windows.run(model, Arrays.copyOf(tokens, tokens.length - 1), progress, TASK, done, total,
                    (rows, from, count) -> {
                        for (int i = 0; i < count; i++) {
                            double x = -LogProbs.logProb(rows, i * V, V, tokens[from + i + 1]);
                            perToken[base + from + i] = x;
                            nll[0] += x;
                        }
                    });
            scored += tokens.length - 1;
            bytes += tokenizer.decodeBytes(Arrays.copyOfRange(tokens, 1, tokens.length)).length;
        }
        Bootstrap.Interval ci = Bootstrap.perplexity(perToken, Bootstrap.TOKEN_BLOCK);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("cross_entropy", nll[0] / scored);
        m.put("perplexity", Math.exp(nll[0] / scored));
        m.put("perplexity_ci_low", ci.low());
        m.put("perplexity_ci_high", ci.high());
        m.put("bits_per_byte", bytes > 0 ? nll[0] / Math.log(2) / bytes : Double.NaN);
        m.put("scored_tokens", (double) scored);
        m.put("bytes", (double) bytes);
        m.put("documents", (double) streams.size());
        return EvalResult.timed(TASK, m, total, Windows.KIND, scored, start);
    }

    /** Python's {@code text.strip("\n").split("\n\n")}: empty pieces are kept here and skipped when tokenized. */
    static List<String> documents(String text) {
        int from = 0, to = text.length();
        while (from < to && text.charAt(from) == '\n') from++;
        while (to > from && text.charAt(to - 1) == '\n') to--;
        return List.of(text.substring(from, to).split("\n\n", -1));
    }
}
