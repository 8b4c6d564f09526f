package dev.rwkvedge.eval;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A language model whose next-token logits are a plain function of the tokens fed so far, so a test can work out
 * every probability by hand. Not a stand-in for RWKV: a fixture whose answers are known in closed form.
 */
final class FixtureModel implements LanguageModel {
    private final int vocabulary;
    private final Function<int[], float[]> rule;
    /** Tokens fed through this model, to see how far a cancelled evaluation got. */
    int fed;

    private FixtureModel(int vocabulary, Function<int[], float[]> rule) {
        this.vocabulary = vocabulary;
        this.rule = rule;
    }

    /** Every token equally likely: perplexity exactly V. */
    static FixtureModel uniform(int vocabulary) {
        return new FixtureModel(vocabulary, history -> new float[vocabulary]);
    }

    /**
     * Knows some byte strings: while the history is a prefix of one of them (the first, in order), it gives that
     * string's next byte logit {@code confidence} and every other byte 0, so p(next) = e^L / (e^L + 255); elsewhere
     * it is uniform.
     */
    static FixtureModel oracle(float confidence, String... texts) {
        List<byte[]> known = Arrays.stream(texts).map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
        return new FixtureModel(256, history -> {
            float[] row = new float[256];
            for (byte[] k : known) {
                if (history.length < k.length && prefix(history, k)) {
                    row[k[history.length] & 0xff] = confidence;
                    break;
                }
            }
            return row;
        });
    }

    /** Logits that depend on the previous byte only: {@code rows(prev)} (null = all 0, uniform). */
    static FixtureModel bigram(Function<Integer, float[]> rows) {
        return new FixtureModel(256, history -> {
            float[] row = history.length == 0 ? null : rows.apply(history[history.length - 1]);
            return row != null ? row.clone() : new float[256];
        });
    }

    /** p(hit) of {@link #oracle} with logit L against 255 zeros, computed independently of LogProbs. */
    static double oracleHit(double confidence) {
        return Math.exp(confidence) / (Math.exp(confidence) + 255);
    }

    private static boolean prefix(int[] history, byte[] k) {
        for (int i = 0; i < history.length; i++) if ((k[i] & 0xff) != history[i]) return false;
        return true;
    }

    private static final class History implements State {
        int[] tokens = new int[0];

        @Override
        public State copy() {
            History h = new History();
            h.tokens = tokens.clone();
            return h;
        }
    }

    @Override
    public int vocabulary() {
        return vocabulary;
    }

    @Override
    public State newState() {
        return new History();
    }

    @Override
    public float[] feed(int[] tokens, State state, boolean allRows) {
        History h = (History) state;
        float[] out = new float[(allRows ? tokens.length : 1) * vocabulary];
        for (int t = 0; t < tokens.length; t++) {
            h.tokens = Arrays.copyOf(h.tokens, h.tokens.length + 1);
            h.tokens[h.tokens.length - 1] = tokens[t];
            fed++;
            if (allRows || t == tokens.length - 1) {
                System.arraycopy(rule.apply(h.tokens), 0, out, allRows ? t * vocabulary : 0, vocabulary);
            }
        }
        return out;
    }
}
