package dev.rwkvedge.compress.sparse;

import java.util.Arrays;

/**
 * One thread's working arrays for a sparse channel-mix token: the predicted neurons, their activations and record
 * offsets, the value accumulators, and the predictors' scores, selection counts and partial predictions. Kept between tokens so a
 * decoded token allocates nothing (they were 0.1 MB of garbage a token on edge.json); one set per thread serves every
 * layer, as a token is done with them before the next layer's starts. On the sample model they hold about 20 KB.
 */
final class TokenArrays {
    private static final ThreadLocal<TokenArrays> LOCAL = ThreadLocal.withInitial(TokenArrays::new);

    private int[] active = new int[0], byMlp = new int[0], byOneBit = new int[0];
    private float[] activations = new float[0], sums = new float[0], scores = new float[0];
    private long[] offsets = new long[0];
    /** The radix select's bucket counts. */
    final int[] counts = new int[256];

    private TokenArrays() {}

    static TokenArrays get() {
        return LOCAL.get();
    }

    /** Room for n neuron indices (a predictor may also use it as scratch before it writes them). */
    int[] active(int n) {
        if (active.length < n) active = new int[n];
        return active;
    }

    /** The ensemble's two predictions before their union (each may serve its predictor as scratch too). */
    int[] byMlp(int n) {
        if (byMlp.length < n) byMlp = new int[n];
        return byMlp;
    }

    int[] byOneBit(int n) {
        if (byOneBit.length < n) byOneBit = new int[n];
        return byOneBit;
    }

    float[] activations(int n) {
        if (activations.length < n) activations = new float[n];
        return activations;
    }

    long[] offsets(int n) {
        if (offsets.length < n) offsets = new long[n];
        return offsets;
    }

    /** n zeroed accumulators. */
    float[] sums(int n) {
        if (sums.length < n) sums = new float[n];
        else Arrays.fill(sums, 0, n, 0f);
        return sums;
    }

    /** n floats for a predictor's scores or logits (the ensemble's two predictors use them one after the other). */
    float[] scores(int n) {
        if (scores.length < n) scores = new float[n];
        return scores;
    }
}
