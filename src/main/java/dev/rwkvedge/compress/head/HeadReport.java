package dev.rwkvedge.compress.head;

import dev.rwkvedge.runtime.Head;
import dev.rwkvedge.runtime.Parallel;

/**
 * How closely the clustered head follows the dense one on held-out head inputs.
 *
 * @param top1Agreement share of positions where both heads' argmax is the same token
 * @param meanKl        mean KL(dense || clustered) over positions, in nats
 */
public record HeadReport(int positions, double top1Agreement, double meanKl, double meanRowsPerToken,
                         double meanClustersPerToken, int vocab) {

    /** Batches of inputs, so neither head needs more than this many rows of V logits at a time. */
    private static final int BATCH = 64;

    /** Runs both heads over {@code count} rows of {@code inputs} (count x C); resets the clustered head's counters. */
    public static HeadReport measure(Head dense, ClusteredHead clustered, float[] inputs, int count, int dim,
                                     Parallel par) {
        int V = dense.vocab();
        clustered.resetCounters();
        int agree = 0;
        double klSum = 0;
        float[] zd = new float[BATCH * V], zc = new float[BATCH * V];
        double[] logD = new double[V], logC = new double[V];
        for (int from = 0; from < count; from += BATCH) {
            int T = Math.min(BATCH, count - from);
            float[] x = java.util.Arrays.copyOfRange(inputs, from * dim, (from + T) * dim);
            dense.logits(x, T, zd, par);
            clustered.logits(x, T, zc, par);
            for (int t = 0; t < T; t++) {
                if (Softmax.argmax(zd, t * V, V) == Softmax.argmax(zc, t * V, V)) agree++;
                Softmax.logSoftmax(zd, t * V, V, logD);
                Softmax.logSoftmax(zc, t * V, V, logC);
                klSum += Softmax.kl(logD, logC, V);
            }
        }
        return new HeadReport(count, count == 0 ? Double.NaN : (double) agree / count,
                count == 0 ? Double.NaN : klSum / count, clustered.meanRowsPerToken(),
                clustered.meanClustersPerToken(), V);
    }
}
