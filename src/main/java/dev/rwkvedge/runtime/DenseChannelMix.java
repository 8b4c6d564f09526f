package dev.rwkvedge.runtime;

import dev.rwkvedge.tensor.Activations;
import java.util.Map;

/**
 * The dense channel mix: out = [sigmoid(R xr) *] V relu(K xk)^2. v4/v5 mix as x*m + prev*(1-m), v6/v7 as
 * x + (prev - x)*m; v7 has no receptance.
 */
public final class DenseChannelMix implements ChannelMix {
    private final int C;
    private final float[] mixK, mixR;
    private final float[][] mixes;
    private final boolean lerpFromPrev;
    private final ProjectionSet p = new ProjectionSet();
    private final ProjectionSet.Slot key, value, receptance;

    public DenseChannelMix(int C, float[] mixK, float[] mixR, boolean lerpFromPrev, Projection key, Projection value,
                           Projection receptance) {
        this.C = C;
        this.mixK = mixK;
        this.mixR = mixR;
        this.mixes = mixR == null ? new float[][] {mixK} : new float[][] {mixK, mixR};
        this.lerpFromPrev = lerpFromPrev;
        this.key = p.put("ffn.key", key);
        this.value = p.put("ffn.value", value);
        this.receptance = p.put("ffn.receptance", receptance);
    }

    @Override
    public void forward(int layer, float[] x, RwkvState st, ForwardContext ctx, float[] out) {
        final int T = ctx.T;
        Projection k = key.get(), v = value.get(), rec = receptance.get();
        int F = k.outDim();
        float[] xk = ctx.buffer(T * C), xr = rec == null ? null : ctx.buffer(T * C);
        float[][] mixed = ctx.group(2);
        mixed[0] = xk;
        mixed[1] = xr;
        float[] shift = st.ffnShift[layer];
        int count = rec == null ? 1 : 2;
        if (lerpFromPrev) VectorKernels.lerpShift(x, shift, T, C, mixes, mixed, count);
        else VectorKernels.scaleShift(x, shift, T, C, mixes, mixed, count);
        VectorKernels.endShift(x, T, C, shift);
        ctx.observeInput(layer, "ffn.key", xk, C);
        float[] h = ctx.buffer(T * F);
        k.applyBatch(xk, h, T, ctx.par);
        for (int i = 0; i < h.length; i++) {
            float a = Math.max(h[i], 0f);
            h[i] = a * a;
        }
        if (ctx.observer != null) ctx.observer.channelMixActivation(layer, h, T, F);
        ctx.observeInput(layer, "ffn.value", h, F);
        v.applyBatch(h, out, T, ctx.par);
        if (rec != null) {
            ctx.observeInput(layer, "ffn.receptance", xr, C);
            float[] r = ctx.buffer(T * C);
            rec.applyBatch(xr, r, T, ctx.par);
            Activations.timesSigmoid(out, 0, r, 0, T * C);
        }
    }

    /** The token-shift mix of the key input. */
    public float[] mixK() {
        return mixK;
    }

    /** The token-shift mix of the receptance input, or null (v7). */
    public float[] mixR() {
        return mixR;
    }

    /** True for v6/v7's x + (prev - x) * m, false for v4/v5's x * m + prev * (1 - m). */
    public boolean lerpFromPrev() {
        return lerpFromPrev;
    }

    @Override
    public Map<String, Projection> projections() {
        return p.view();
    }

    @Override
    public void replace(String name, Projection pr) {
        p.replace(name, pr);
    }

    @Override
    public long vectorParameters() {
        return (long) C * mixes.length;
    }

    @Override
    public long residentBytes() {
        long n = 4 * vectorParameters();
        for (Projection pr : p.view().values()) n += pr.residentBytes();
        return n;
    }

    @Override
    public long parameters() {
        long n = vectorParameters();
        for (Projection pr : p.view().values()) n += pr.parameters();
        return n;
    }
}
