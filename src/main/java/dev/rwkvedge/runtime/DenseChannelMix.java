package dev.rwkvedge.runtime;

import java.util.Map;

/**
 * The dense channel mix: out = [sigmoid(R xr) *] V relu(K xk)^2. v4/v5 mix as x*m + prev*(1-m), v6/v7 as
 * x + (prev - x)*m; v7 has no receptance.
 */
public final class DenseChannelMix implements ChannelMix {
    private final int C;
    private final float[] mixK, mixR;
    private final boolean lerpFromPrev;
    private final ProjectionSet p = new ProjectionSet();

    public DenseChannelMix(int C, float[] mixK, float[] mixR, boolean lerpFromPrev, Projection key, Projection value,
                           Projection receptance) {
        this.C = C;
        this.mixK = mixK;
        this.mixR = mixR;
        this.lerpFromPrev = lerpFromPrev;
        p.put("ffn.key", key);
        p.put("ffn.value", value);
        p.put("ffn.receptance", receptance);
    }

    @Override
    public void forward(int layer, float[] x, RwkvState st, ForwardContext ctx, float[] out) {
        final int T = ctx.T;
        float[] prev = ForwardContext.shift(x, T, C, st.ffnShift[layer]);
        float[] xk = mix(x, prev, mixK, T);
        Projection key = p.get("ffn.key"), value = p.get("ffn.value");
        ctx.observeInput(layer, "ffn.key", xk, C);
        float[] h = new float[T * key.outDim()];
        key.applyBatch(xk, h, T, ctx.par);
        for (int i = 0; i < h.length; i++) {
            float a = Math.max(h[i], 0f);
            h[i] = a * a;
        }
        if (ctx.observer != null) ctx.observer.channelMixActivation(layer, h, T, key.outDim());
        ctx.observeInput(layer, "ffn.value", h, key.outDim());
        value.applyBatch(h, out, T, ctx.par);
        Projection rec = p.get("ffn.receptance");
        if (rec != null) {
            float[] xr = mix(x, prev, mixR, T);
            ctx.observeInput(layer, "ffn.receptance", xr, C);
            float[] r = new float[T * C];
            rec.applyBatch(xr, r, T, ctx.par);
            for (int i = 0; i < out.length; i++) out[i] *= ForwardContext.sigmoid(r[i]);
        }
    }

    private float[] mix(float[] x, float[] prev, float[] m, int T) {
        if (!lerpFromPrev) return TimeMixV5.lerp(x, prev, m, T);
        float[] y = new float[x.length];
        for (int t = 0; t < T; t++) {
            for (int c = 0, i = t * C; c < C; c++, i++) y[i] = x[i] + (prev[i] - x[i]) * m[c];
        }
        return y;
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

    public Map<String, Projection> projections() {
        return p.view();
    }

    public void replace(String name, Projection pr) {
        p.replace(name, pr);
    }

    @Override
    public long residentBytes() {
        long n = 4L * C * (mixR == null ? 1 : 2);
        for (Projection pr : p.view().values()) n += pr.residentBytes();
        return n;
    }

    @Override
    public long parameters() {
        long n = (long) C * (mixR == null ? 1 : 2);
        for (Projection pr : p.view().values()) n += pr.parameters();
        return n;
    }
}
