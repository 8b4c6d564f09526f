package dev.rwkvedge.compress.head;

/** Softmax and the divergences the head compression measures, in double so long vocabularies sum stably. */
final class Softmax {
    private Softmax() {}

    /** out[0..n) = log softmax(z[off .. off+n)). */
    static void logSoftmax(float[] z, int off, int n, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, z[off + i]);
        double sum = 0;
        for (int i = 0; i < n; i++) sum += Math.exp(z[off + i] - max);
        double logZ = max + Math.log(sum);
        for (int i = 0; i < n; i++) out[i] = z[off + i] - logZ;
    }

    /** KL(p || q) from log-probabilities. */
    static double kl(double[] logP, double[] logQ, int n) {
        double kl = 0;
        for (int i = 0; i < n; i++) {
            double p = Math.exp(logP[i]);
            if (p > 0) kl += p * (logP[i] - logQ[i]);
        }
        return kl;
    }

    static int argmax(float[] z, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (z[off + i] > z[off + best]) best = i;
        return best;
    }
}
