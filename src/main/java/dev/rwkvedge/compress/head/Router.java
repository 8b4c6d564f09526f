package dev.rwkvedge.compress.head;

import dev.rwkvedge.runtime.Kernels;

/**
 * Softmax regression from the head input to the cluster distribution: p = softmax(W x + b), W of shape K x C. The
 * bias lets the router carry a cluster's prior (its size, its base rate) without spending a direction of W on it.
 */
public record Router(float[] weight, float[] bias, int clusters, int dim) {

    public Router {
        if (weight.length != clusters * dim || bias.length != clusters) {
            throw new IllegalArgumentException("router weights are not " + clusters + " x " + dim);
        }
    }

    /** p[pOff .. pOff+K) = softmax(W x[xOff..] + b). */
    public void probabilities(float[] x, int xOff, float[] p, int pOff) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < clusters; j++) {
            float a = Kernels.dot(weight, j * dim, x, xOff, dim) + bias[j];
            p[pOff + j] = a;
            max = Math.max(max, a);
        }
        float sum = 0;
        for (int j = 0; j < clusters; j++) {
            float e = (float) Math.exp(p[pOff + j] - max);
            p[pOff + j] = e;
            sum += e;
        }
        float inv = 1 / sum;
        for (int j = 0; j < clusters; j++) p[pOff + j] *= inv;
    }

    public long bytes() {
        return 4L * (weight.length + bias.length);
    }

    public long parameters() {
        return weight.length + bias.length;
    }
}
