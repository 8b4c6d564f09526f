package dev.rwkvedge.runtime;


/** y = W2 (W1 x): a rank-r factorisation of an (out x in) projection, each factor itself a projection. */
public final class LowRankProjection implements Projection {
    private final Projection first, second;

    /** @param first W1 (r x in), @param second W2 (out x r) */
    public LowRankProjection(Projection first, Projection second) {
        if (first.outDim() != second.inDim()) {
            throw new IllegalArgumentException("factor shapes do not chain: " + first.outDim() + " vs " + second.inDim());
        }
        this.first = first;
        this.second = second;
    }

    public static LowRankProjection of(float[] w1, float[] w2, int out, int rank, int in) {
        return new LowRankProjection(DenseProjection.of(w1, rank, in), DenseProjection.of(w2, out, rank));
    }

    public int rank() {
        return first.outDim();
    }

    public Projection first() {
        return first;
    }

    public Projection second() {
        return second;
    }

    @Override
    public int outDim() {
        return second.outDim();
    }

    @Override
    public int inDim() {
        return first.inDim();
    }

    @Override
    public void apply(float[] x, int xOff, float[] y, int yOff, Parallel par) {
        float[] mid = new float[rank()];
        first.apply(x, xOff, mid, 0, par);
        second.apply(mid, 0, y, yOff, par);
    }

    @Override
    public void applyBatch(float[] x, float[] y, int T, Parallel par) {
        float[] mid = new float[T * rank()];
        first.applyBatch(x, mid, T, par);
        second.applyBatch(mid, y, T, par);
    }

    @Override
    public long residentBytes() {
        return first.residentBytes() + second.residentBytes();
    }

    @Override
    public long parameters() {
        return first.parameters() + second.parameters();
    }
}
