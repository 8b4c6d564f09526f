package dev.rwkvedge.compress.head;

/**
 * Recorded head inputs (ln_out outputs, count x dim) with the dense head's probability mass per cluster
 * (count x clusters): the router's training data.
 */
public record HeadSamples(float[] inputs, float[] clusterMasses, int count, int dim, int clusters) {

    public HeadSamples {
        if (inputs.length != count * dim || clusterMasses.length != count * clusters) {
            throw new IllegalArgumentException("samples are not " + count + " rows of " + dim + " and " + clusters);
        }
    }

    /** Rows [from, to) as their own sample set. */
    public HeadSamples slice(int from, int to) {
        float[] x = java.util.Arrays.copyOfRange(inputs, from * dim, to * dim);
        float[] p = java.util.Arrays.copyOfRange(clusterMasses, from * clusters, to * clusters);
        return new HeadSamples(x, p, to - from, dim, clusters);
    }
}
