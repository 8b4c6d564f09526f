package dev.rwkvedge.runtime;

/** What a block needs besides its weights and state for one call: threads, the observer, v7's value residual. */
public final class ForwardContext {
    public final Parallel par;
    public final ForwardObserver observer;
    public final int T;
    private final Scratch scratch;
    /** v7: layer 0's values (T x C), mixed into later layers. */
    float[] vFirst;

    ForwardContext(Parallel par, ForwardObserver observer, int T, Scratch scratch) {
        this.par = par;
        this.observer = observer;
        this.T = T;
        this.scratch = scratch;
    }

    /**
     * A working array of n floats with undefined contents, valid until this call returns; parts that take all
     * their arrays here decode without allocating.
     */
    public float[] buffer(int n) {
        return scratch.take(n);
    }

    /** v7's first-layer values (T x C): an array that later blocks still read, so it is not rewound with theirs. */
    float[] firstValues(int n) {
        return scratch.keep(n);
    }

    /** Called before each block: the block gets the working arrays of the block before it. */
    void nextBlock(int mark) {
        scratch.rewind(mark);
    }

    int mark() {
        return scratch.mark();
    }

    void observeInput(int layer, String name, float[] x, int width) {
        if (observer != null) observer.projectionInput(layer, name, x, T, width);
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }
}
