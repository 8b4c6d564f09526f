package dev.rwkvedge.runtime;

/**
 * Working arrays for one forward call, handed out in call order and reused by the next call with the same token
 * count, so that decoding allocates nothing per token. An array comes back with its old contents: every user
 * writes it completely before reading. Blocks run one after another and keep nothing of their working arrays, so
 * every block is handed the same arrays again ({@link #rewind}): a model holds one block's worth, not one per layer
 * (on the 4-layer sample model 107 arrays of 192 floats became 29). The one array a block passes on to later
 * blocks (v7's first-layer values) is {@link #kept}, outside the rewound range.
 */
final class Scratch {
    /** Every array ever handed out; [0, next) are in use, [next, count) wait for reuse. */
    private float[][] slots = new float[64][];
    private int next, count;
    private float[] kept;

    void reset() {
        next = 0;
    }

    /** A position to {@link #rewind} to: the arrays taken after it can then be handed out again. */
    int mark() {
        return next;
    }

    void rewind(int mark) {
        next = mark;
    }

    /** An array of exactly n floats, valid until the next {@link #reset} or a rewind before it. */
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
            if (count == slots.length) slots = java.util.Arrays.copyOf(slots, 2 * count);
            if (next < count) slots[count] = slots[next]; // no waiting array of this size: this one waits at the end
            count++;
            slots[next] = new float[n];
        }
        return slots[next++];
    }

    /** An array of n floats that survives {@link #rewind} until the next {@link #reset}. */
    float[] keep(int n) {
        if (kept == null || kept.length != n) kept = new float[n];
        return kept;
    }
}
