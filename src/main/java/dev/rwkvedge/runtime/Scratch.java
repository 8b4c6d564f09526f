package dev.rwkvedge.runtime;

import java.util.Arrays;

/**
 * Working arrays for one forward call, handed out in call order and reused by the next call with the same token
 * count, so that decoding allocates nothing per token. An array comes back with its old contents: every user
 * writes it completely before reading. Blocks run one after another and keep nothing of their working arrays, so
 * every block is handed the same arrays again ({@link #rewindToBlocks}): a model holds one block's worth, not one
 * per layer (on the 4-layer sample model 107 arrays of 192 floats became 29). The one array a block passes on to
 * later blocks (v7's first-layer values) is {@link #keep kept} outside the rewound range.
 */
final class Scratch {
    /** Every array ever handed out; [0, next) are in use, [next, count) wait for reuse. */
    private float[][] slots = new float[64][];
    private int next, count;
    private float[][][] groups = new float[16][][];
    private int nextGroup;
    private int blocksFrom, blockGroupsFrom;
    private float[] kept;

    void reset() {
        next = 0;
        nextGroup = 0;
    }

    /** Marks where the blocks' arrays start: those taken before (the residual stream) stay taken. */
    void markBlocks() {
        blocksFrom = next;
        blockGroupsFrom = nextGroup;
    }

    /** Hands the arrays taken since {@link #markBlocks} out again, to the next block. */
    void rewindToBlocks() {
        next = blocksFrom;
        nextGroup = blockGroupsFrom;
    }

    /** An array of exactly n floats, valid until the next {@link #reset} or {@link #rewindToBlocks}. */
    float[] take(int n) {
        if (next < count && slots[next].length != n) {
            // another caller order (a layer with other ranks): bring a waiting array of this size forward if any
            for (int j = next + 1; j < count; j++) {
                if (slots[j].length == n) {
                    float[] a = slots[j];
                    slots[j] = slots[next];
                    slots[next] = a;
                    break;
                }
            }
        }
        if (next == count || slots[next].length != n) {
            if (count == slots.length) slots = Arrays.copyOf(slots, 2 * count);
            if (next < count) slots[count] = slots[next]; // no waiting array of this size: this one waits at the end
            count++;
            slots[next] = new float[n];
        }
        return slots[next++];
    }

    /** An array of n floats that survives {@link #rewindToBlocks}. */
    float[] keep(int n) {
        if (kept == null || kept.length != n) kept = new float[n];
        return kept;
    }

    /** Bytes of every float array this scratch holds (what the memory benchmark finds on the heap for it). */
    long bytes() {
        long n = kept == null ? 0 : kept.length;
        for (int i = 0; i < count; i++) n += slots[i].length;
        return 4 * n;
    }

    /** An array of exactly n references, valid like {@link #take}. */
    float[][] group(int n) {
        if (nextGroup == groups.length) groups = Arrays.copyOf(groups, 2 * nextGroup);
        float[][] a = groups[nextGroup];
        if (a == null || a.length != n) groups[nextGroup] = a = new float[n][];
        nextGroup++;
        return a;
    }
}
