package dev.rwkvedge.compress.head;

import dev.rwkvedge.runtime.Head;
import dev.rwkvedge.runtime.Parallel;
import java.util.Arrays;

/**
 * Stands in for the dense head while calibration text runs through the model: forwards every call, and keeps each
 * head input with the dense head's probability mass per cluster, the router's training data. The logits themselves
 * are not kept (V floats per position would not fit for long calibration text).
 */
public final class RecordingHead implements Head {
    private final Head dense;
    private final ClusterIndex index;
    private final int dim;
    private float[] inputs = new float[0], masses = new float[0];
    private int count;

    public RecordingHead(Head dense, ClusterIndex index, int dim) {
        if (dense.vocab() != index.vocab()) throw new IllegalArgumentException("head and clusters disagree on V");
        this.dense = dense;
        this.index = index;
        this.dim = dim;
    }

    @Override
    public int vocab() {
        return dense.vocab();
    }

    @Override
    public synchronized void logits(float[] x, int T, float[] out, Parallel par) {
        dense.logits(x, T, out, par);
        int V = dense.vocab(), K = index.clusters();
        if ((count + T) * dim > inputs.length) {
            int capacity = Math.max(2 * inputs.length / dim, count + T);
            inputs = Arrays.copyOf(inputs, capacity * dim);
            masses = Arrays.copyOf(masses, capacity * K);
        }
        System.arraycopy(x, 0, inputs, count * dim, T * dim);
        double[] logP = new double[V], probs = new double[V], m = new double[K];
        for (int t = 0; t < T; t++) {
            Softmax.logSoftmax(out, t * V, V, logP);
            for (int v = 0; v < V; v++) probs[v] = Math.exp(logP[v]);
            index.masses(probs, 0, m);
            for (int j = 0; j < K; j++) masses[(count + t) * K + j] = (float) m[j];
        }
        count += T;
    }

    public synchronized HeadSamples samples() {
        int K = index.clusters();
        return new HeadSamples(Arrays.copyOf(inputs, count * dim), Arrays.copyOf(masses, count * K), count, dim, K);
    }

    @Override
    public long residentBytes() {
        return dense.residentBytes();
    }

    @Override
    public long parameters() {
        return dense.parameters();
    }
}
