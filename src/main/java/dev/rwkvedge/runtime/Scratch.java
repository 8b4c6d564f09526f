package dev.rwkvedge.runtime;

import java.util.Arrays;

/**
 * Working arrays for one forward call, handed out in call order and reused by the next call with the same token
 * count, so that decoding allocates nothing per token. An array comes back with its old contents: every user
 * writes it completely before reading.
 */
final class Scratch {
    private float[][] slots = new float[64][];
    private int next;
    private float[][][] groups = new float[16][][];
    private int nextGroup;

    void reset() {
        next = 0;
        nextGroup = 0;
    }

    /** An array of exactly n floats, valid until the next {@link #reset}. */
    float[] take(int n) {
        if (next == slots.length) slots = Arrays.copyOf(slots, 2 * next);
        float[] a = slots[next];
        if (a == null || a.length != n) slots[next] = a = new float[n];
        next++;
        return a;
    }

    /** An array of exactly n references, valid until the next {@link #reset}. */
    float[][] group(int n) {
        if (nextGroup == groups.length) groups = Arrays.copyOf(groups, 2 * nextGroup);
        float[][] a = groups[nextGroup];
        if (a == null || a.length != n) groups[nextGroup] = a = new float[n][];
        nextGroup++;
        return a;
    }
}
