package dev.rwkvedge.eval;

/**
 * Log-softmax arithmetic over rows of float logits, in double and shifted by the row maximum so that large logits
 * neither overflow nor lose the small probabilities that perplexity depends on.
 */
public final class LogProbs {
    private LogProbs() {}

    /** log sum_i exp(logits[off + i]) over one row of {@code n} logits. */
    public static double logSumExp(float[] logits, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, logits[off + i]);
        // a model that overflowed (the paper's authors saw NaN on LAMBADA in fp16) must fail, not score as chance
        if (Float.isNaN(max) || Float.isInfinite(max)) {
            throw new IllegalStateException("the model's logits hold NaN or infinity (max " + max
                    + "): its forward pass overflowed");
        }
        double sum = 0;
        for (int i = 0; i < n; i++) sum += Math.exp((double) logits[off + i] - max);
        return max + Math.log(sum);
    }

    /** log p(token) under the row's softmax. */
    public static double logProb(float[] logits, int off, int n, int token) {
        return logits[off + token] - logSumExp(logits, off, n);
    }

    /** The first index of the row's largest logit (first wins a tie, like numpy's argmax). */
    public static int argmax(float[] logits, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (logits[off + i] > logits[off + best]) best = i;
        return best;
    }
}
