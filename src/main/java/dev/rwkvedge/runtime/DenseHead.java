package dev.rwkvedge.runtime;

/** The full V x C head as one projection (with the optional output bias of some BlinkDL models). */
public record DenseHead(Projection projection) implements Head {
    @Override
    public int vocab() {
        return projection.outDim();
    }

    @Override
    public void logits(float[] x, int T, float[] out, Parallel par) {
        projection.applyBatch(x, out, T, par);
    }

    @Override
    public long residentBytes() {
        return projection.residentBytes();
    }

    @Override
    public long parameters() {
        return projection.parameters();
    }
}
