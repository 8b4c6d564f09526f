package dev.rwkvedge.compress.quant;

import dev.rwkvedge.runtime.DenseProjection;
import dev.rwkvedge.runtime.Parallel;
import dev.rwkvedge.runtime.Projection;
import dev.rwkvedge.tensor.Tensor;

/**
 * A projection made by quantization, remembering the tensor it was made from so an export stores exactly that form.
 * It computes through {@link DenseProjection#of(Tensor)}, as a reloaded file does, so both give the same logits.
 */
public final class PackedProjection implements Projection {
    private final Tensor stored;
    private final Projection delegate;

    private PackedProjection(Tensor stored, Projection delegate) {
        this.stored = stored;
        this.delegate = delegate;
    }

    public static PackedProjection of(Tensor stored) {
        return new PackedProjection(stored, DenseProjection.of(stored));
    }

    /** The stored form, (out, in) in its dtype. */
    public Tensor stored() {
        return stored;
    }

    @Override
    public int outDim() {
        return delegate.outDim();
    }

    @Override
    public int inDim() {
        return delegate.inDim();
    }

    @Override
    public void apply(float[] x, int xOff, float[] y, int yOff, Parallel par) {
        delegate.apply(x, xOff, y, yOff, par);
    }

    @Override
    public void applyBatch(float[] x, float[] y, int T, Parallel par) {
        delegate.applyBatch(x, y, T, par);
    }

    @Override
    public long residentBytes() {
        return delegate.residentBytes();
    }

    @Override
    public long parameters() {
        return delegate.parameters();
    }

    @Override
    public float[] toArray() {
        return delegate.toArray();
    }
}
