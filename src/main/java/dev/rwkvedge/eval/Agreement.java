package dev.rwkvedge.eval;

import dev.rwkvedge.task.ProgressListener;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How closely a candidate (compressed) model follows a reference (dense) model over one token stream: the quick proxy
 * the studio recomputes while the user drags a knob. At every position (the distribution after each token, state
 * carried across the whole stream) it compares next-token distributions: {@code mean_kl} and {@code max_kl} of
 * KL(reference || candidate) in nats, and {@code top1_agreement}, the share of positions where both argmaxes agree.
 *
 * <p>The reference runs once: its probabilities p (float, 4 x tokens x vocabulary bytes: 64 MB for 2,048 tokens of an
 * 8,192-token vocabulary) and sum p log p per position are kept, so a measurement runs only the candidate and needs
 * one exp per logit (for its log-sum-exp): KL = sum p log p - sum p (z - lse(z)) for candidate logits z. Both sums
 * are computed by the same arithmetic, so a model measured against itself gives exactly 0. Immutable once built:
 * {@link #measure} may run from any thread, and concurrently for different candidates.
 */
public final class Agreement {
    public static final String TASK = "agreement";

    private final int[] tokens;
    private final int vocabulary;
    private final float[] referenceProbs;
    private final double[] referenceNegEntropy;
    private final int[] referenceArgmax;
    private final double referenceSeconds;

    private Agreement(int[] tokens, int vocabulary, float[] referenceProbs, double[] referenceNegEntropy,
                      int[] referenceArgmax, double seconds) {
        this.tokens = tokens;
        this.vocabulary = vocabulary;
        this.referenceProbs = referenceProbs;
        this.referenceNegEntropy = referenceNegEntropy;
        this.referenceArgmax = referenceArgmax;
        this.referenceSeconds = seconds;
    }

    /** Runs the reference over the tokens once; reports progress per window of {@link Windows#SIZE} tokens. */
    public static Agreement withReference(LanguageModel reference, int[] tokens, ProgressListener progress) {
        if (tokens.length == 0) throw new IllegalArgumentException("agreement needs at least one token");
        long start = System.nanoTime();
        int V = reference.vocabulary();
        long cells = (long) tokens.length * V;
        if (cells > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("agreement over " + tokens.length + " tokens would keep " + cells * 4 / (1 << 20)
                    + " MB of reference probabilities; compare fewer tokens");
        }
        float[] probs = new float[(int) cells];
        double[] negEntropy = new double[tokens.length];
        int[] argmax = new int[tokens.length];
        Windows.run(reference, tokens, progress, "reference", (rows, from, count) -> {
            for (int i = 0; i < count; i++) {
                int row = i * V, at = (from + i) * V;
                double lse = LogProbs.logSumExp(rows, row, V);
                for (int k = 0; k < V; k++) probs[at + k] = (float) Math.exp(rows[row + k] - lse);
                negEntropy[from + i] = crossTerm(probs, at, rows, row, V, lse);
                argmax[from + i] = LogProbs.argmax(rows, row, V);
            }
        });
        return new Agreement(tokens.clone(), V, probs, negEntropy, argmax, (System.nanoTime() - start) / 1e9);
    }

    /** Reference and candidate in one go; the result's time and tokens cover both models. */
    public static EvalResult evaluate(LanguageModel reference, LanguageModel candidate, int[] tokens,
                                      ProgressListener progress) {
        requireSameVocabulary(reference.vocabulary(), candidate.vocabulary());
        Agreement a = withReference(reference, tokens, progress);
        EvalResult r = a.measure(candidate, progress);
        double seconds = r.seconds() + a.referenceSeconds;
        long fed = 2L * tokens.length;
        return new EvalResult(TASK, r.metrics(), r.items(), r.itemKind(), fed, seconds, fed / seconds);
    }

    public int tokens() {
        return tokens.length;
    }

    /** Runs the candidate over the same tokens and compares; the result's time and tokens cover the candidate only. */
    public EvalResult measure(LanguageModel candidate, ProgressListener progress) {
        requireSameVocabulary(vocabulary, candidate.vocabulary());
        long start = System.nanoTime();
        int V = vocabulary;
        double[] sums = new double[3]; // KL sum, KL max, agreeing positions
        Windows.run(candidate, tokens, progress, TASK, (rows, from, count) -> {
            for (int i = 0; i < count; i++) {
                int row = i * V, at = from + i;
                double cross = crossTerm(referenceProbs, at * V, rows, row, V, LogProbs.logSumExp(rows, row, V));
                // rounding can leave a tiny negative where the distributions almost agree; KL is never below 0
                double kl = Math.max(0, referenceNegEntropy[at] - cross);
                sums[0] += kl;
                sums[1] = Math.max(sums[1], kl);
                if (LogProbs.argmax(rows, row, V) == referenceArgmax[at]) sums[2]++;
            }
        });
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("mean_kl", sums[0] / tokens.length);
        m.put("max_kl", sums[1]);
        m.put("top1_agreement", sums[2] / tokens.length);
        m.put("positions", (double) tokens.length);
        return EvalResult.timed(TASK, m, Windows.count(tokens.length), Windows.KIND, tokens.length, start);
    }

    private static void requireSameVocabulary(int reference, int candidate) {
        if (candidate != reference) {
            throw new IllegalArgumentException("the model has a vocabulary of " + candidate + " tokens, the reference "
                    + reference + ": they must share one tokenizer");
        }
    }

    /** sum p log q, with log q = z - lse(z) for the row of logits z; with q = p it is sum p log p. */
    private static double crossTerm(float[] p, int pOff, float[] z, int zOff, int n, double lse) {
        double sum = 0;
        for (int k = 0; k < n; k++) sum += p[pOff + k] * (z[zOff + k] - lse);
        return sum;
    }
}
