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
 * <p>The reference's log-probabilities are computed once and kept (4 x tokens x vocabulary bytes: 64 MB for 2,048
 * tokens of an 8,192-token vocabulary), so each measurement runs only the candidate. Both sides are rounded to float
 * the same way, so a model measured against itself gives exactly 0.
 */
public final class Agreement {
    public static final String TASK = "agreement";

    private final int[] tokens;
    private final int vocabulary;
    private final float[] referenceLogProbs;
    private final int[] referenceArgmax;
    private final double referenceSeconds;

    private Agreement(int[] tokens, int vocabulary, float[] referenceLogProbs, int[] referenceArgmax, double seconds) {
        this.tokens = tokens;
        this.vocabulary = vocabulary;
        this.referenceLogProbs = referenceLogProbs;
        this.referenceArgmax = referenceArgmax;
        this.referenceSeconds = seconds;
    }

    /** Runs the reference over the tokens once; reports progress per window of {@link Windows#SIZE} tokens. */
    public static Agreement withReference(LanguageModel reference, int[] tokens, ProgressListener progress) {
        if (tokens.length == 0) throw new IllegalArgumentException("agreement needs at least one token");
        long start = System.nanoTime();
        int V = reference.vocabulary();
        float[] logProbs = new float[Math.multiplyExact(tokens.length, V)];
        int[] argmax = new int[tokens.length];
        Windows.run(reference, tokens, progress, "reference", (rows, from, count) -> {
            for (int i = 0; i < count; i++) {
                LogProbs.logSoftmax(rows, i * V, V, logProbs, (from + i) * V);
                argmax[from + i] = LogProbs.argmax(rows, i * V, V);
            }
        });
        return new Agreement(tokens.clone(), V, logProbs, argmax, (System.nanoTime() - start) / 1e9);
    }

    /** Reference and candidate in one go; the result's time and tokens cover both models. */
    public static EvalResult evaluate(LanguageModel reference, LanguageModel candidate, int[] tokens,
                                      ProgressListener progress) {
        Agreement a = withReference(reference, tokens, progress);
        EvalResult r = a.measure(candidate, progress);
        double seconds = r.seconds() + a.referenceSeconds;
        long fed = 2L * tokens.length;
        return new EvalResult(TASK, r.metrics(), r.items(), fed, seconds, fed / seconds);
    }

    public int tokens() {
        return tokens.length;
    }

    /** Runs the candidate over the same tokens and compares; the result's time and tokens cover the candidate only. */
    public EvalResult measure(LanguageModel candidate, ProgressListener progress) {
        if (candidate.vocabulary() != vocabulary) {
            throw new IllegalArgumentException("the candidate has a vocabulary of " + candidate.vocabulary()
                    + " tokens, the reference " + vocabulary + ": they must share one tokenizer");
        }
        long start = System.nanoTime();
        int V = vocabulary;
        float[] q = new float[V];
        double[] kl = new double[3]; // sum, max, agreeing positions
        Windows.run(candidate, tokens, progress, "agreement", (rows, from, count) -> {
            for (int i = 0; i < count; i++) {
                LogProbs.logSoftmax(rows, i * V, V, q, 0);
                double d = divergence(referenceLogProbs, (from + i) * V, q, V);
                kl[0] += d;
                kl[1] = Math.max(kl[1], d);
                if (LogProbs.argmax(rows, i * V, V) == referenceArgmax[from + i]) kl[2]++;
            }
        });
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("mean_kl", kl[0] / tokens.length);
        m.put("max_kl", kl[1]);
        m.put("top1_agreement", kl[2] / tokens.length);
        m.put("positions", (double) tokens.length);
        return EvalResult.timed(TASK, m, Windows.count(tokens.length), tokens.length, start);
    }

    /** KL(p || q) = sum p (log p - log q) from log-probabilities; terms with p = 0 contribute 0. */
    private static double divergence(float[] logP, int off, float[] logQ, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double lp = logP[off + i];
            if (lp == Double.NEGATIVE_INFINITY) continue;
            sum += Math.exp(lp) * (lp - logQ[i]);
        }
        // rounding can leave a tiny negative where the distributions are almost equal; KL is never below 0
        return Math.max(0, sum);
    }
}
