package dev.rwkvedge.runtime;

/**
 * What a block needs besides its weights and state for one call: threads, the observer, v7's value residual, and
 * working arrays. One context serves call after call (see {@link #begin}), so a decoded token allocates nothing.
 */
public final class ForwardContext {
    public Parallel par;
    public ForwardObserver observer;
    public int T;
    private final Scratch scratch = new Scratch();
    /** v7: layer 0's values (T x C), mixed into later layers. */
    float[] vFirst;

    ForwardContext() {}

    /** Starts a call of T tokens: every working array handed out before is free again. */
    ForwardContext begin(Parallel par, ForwardObserver observer, int T) {
        this.par = par;
        this.observer = observer;
        this.T = T;
        this.vFirst = null;
        scratch.reset();
        return this;
    }

    /**
     * A working array of n floats with undefined contents, valid until this call returns; parts that take all
     * their arrays here decode without allocating.
     */
    public float[] buffer(int n) {
        return scratch.take(n);
    }

    /** An array of n array references, to hand a kernel several outputs at once; valid like {@link #buffer}. */
    float[][] group(int n) {
        return scratch.group(n);
    }

    /** v7's first-layer values (T x C): an array that later blocks still read, so it is not rewound with theirs. */
    float[] firstValues(int n) {
        return scratch.keep(n);
    }

    /** Called once before the blocks: what was handed out so far (the residual stream) stays taken. */
    void blocksStart() {
        scratch.markBlocks();
    }

    /** Called before each block: the block gets the working arrays of the block before it. */
    void nextBlock() {
        scratch.rewindToBlocks();
    }

    /** Bytes of the working arrays this context holds between calls. */
    long workingBytes() {
        return scratch.bytes();
    }

    void observeInput(int layer, String name, float[] x, int width) {
        if (observer != null) observer.projectionInput(layer, name, x, T, width);
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }
}
