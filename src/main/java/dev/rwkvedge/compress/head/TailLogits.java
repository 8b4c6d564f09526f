package dev.rwkvedge.compress.head;

import dev.rwkvedge.compress.LowRankFactorizer;
import dev.rwkvedge.runtime.Int8Projection;
import dev.rwkvedge.runtime.LowRankProjection;
import dev.rwkvedge.runtime.Parallel;

/**
 * A rank-r estimate of every head logit, z ~ A (B x), resident and cheap (V r + r C multiply-adds against the head's
 * V C): the logit the clustered head gives a token of a cluster it did not read. Without it every token of an unread
 * cluster gets the same pseudo-logit, so a next token outside the chosen clusters costs about log(cluster size)
 * extra nats, which is what limited held-out perplexity. B (r x C) is float32; A (V x r, rows in
 * cluster order) is int8 with a scale per row. The factorization is the whitened SVD of the head rows over the
 * calibration head inputs, so the truncation error is the logit error on the inputs the head actually sees.
 *
 * @param first  B, r x C
 * @param second A, V x r, rows in the clustered head's cluster order
 */
public record TailLogits(float[] first, Int8Projection second, int rank, int dim) {

    public TailLogits {
        if (first.length != rank * dim || second.inDim() != rank) {
            throw new IllegalArgumentException("tail factors are not " + rank + " x " + dim + " and V x " + rank);
        }
    }

    /**
     * @param headRows the V x C head rows, in token order
     * @param inputs   calibration head inputs (count x C) for the whitening Gram matrix
     */
    public static TailLogits fit(float[] headRows, ClusterIndex index, int C, int rank, float[] inputs, int count) {
        int V = index.vocab();
        int[] order = index.tokens();
        float[] rowsByCluster = new float[V * C];
        for (int r = 0; r < V; r++) System.arraycopy(headRows, order[r] * C, rowsByCluster, r * C, C);
        double[] gram = new double[C * C];
        for (int t = 0; t < count; t++) {
            int o = t * C;
            for (int i = 0; i < C; i++) {
                double xi = inputs[o + i];
                for (int j = 0; j <= i; j++) gram[i * C + j] += xi * inputs[o + j];
            }
        }
        for (int i = 0; i < C; i++) for (int j = 0; j < i; j++) gram[j * C + i] = gram[i * C + j];
        LowRankProjection lr = LowRankFactorizer.whitened(rowsByCluster, V, C, gram, 1e-4).factor(rank);
        return new TailLogits(lr.first().toArray(), Int8Projection.quantize(lr.second().toArray(), V, rank), rank, C);
    }

    public int vocab() {
        return second.outDim();
    }

    /** zHat[0 .. V) = A B x[xOff ..), in cluster order; u is scratch of length r. */
    public void estimate(float[] x, int xOff, float[] u, float[] zHat) {
        for (int k = 0; k < rank; k++) {
            float s = 0;
            for (int c = 0; c < dim; c++) s += first[k * dim + c] * x[xOff + c];
            u[k] = s;
        }
        second.apply(u, 0, zHat, 0, Parallel.serial());
    }

    public long bytes() {
        return 4L * first.length + second.residentBytes();
    }

    public long parameters() {
        return first.length + second.parameters();
    }
}
