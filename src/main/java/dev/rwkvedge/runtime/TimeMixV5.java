package dev.rwkvedge.runtime;

import java.util.Map;

/**
 * RWKV-5 and RWKV-6 time mix (matrix-valued state, GroupNorm). v5.1: no gate, one decay and bonus per head.
 * v5.2: gate, per-channel decay and bonus. v6: data-dependent token shift (ddlerp) and decay, through
 * {@link TokenShiftV6}.
 */
public final class TimeMixV5 extends ProjectingTimeMix {
    private final int C, N;
    /** v5: static mixes r, k, v, g (x*mix + prev*(1-mix)); null for v6. */
    private final float[] mixR, mixK, mixV, mixG;
    /** Per channel: exp(-exp(w)) for v5, w0 (raw) for v6; bonus multiplier u. */
    private final float[] decay, bonus, lnW, lnB;
    private final float eps;
    private final boolean gated;
    private final TokenShiftV6 v6;

    public TimeMixV5(int C, int N, float[][] mixes, float[] decay, float[] bonus, float[] lnW, float[] lnB, float eps,
                     boolean gated, TokenShiftV6 v6, Map<String, Projection> projections) {
        super(projections);
        this.C = C;
        this.N = N;
        this.mixR = mixes == null ? null : mixes[0];
        this.mixK = mixes == null ? null : mixes[1];
        this.mixV = mixes == null ? null : mixes[2];
        this.mixG = mixes == null ? null : mixes[3];
        this.decay = decay;
        this.bonus = bonus;
        this.lnW = lnW;
        this.lnB = lnB;
        this.eps = eps;
        this.gated = gated;
        this.v6 = v6;
    }

    @Override
    public void forward(int layer, float[] x, RwkvState st, ForwardContext ctx, float[] out) {
        final int T = ctx.T;
        float[] prev = ForwardContext.shift(x, T, C, st.attShift[layer]);
        float[] mr, mk, mv, mg, w;
        if (v6 == null) {
            mr = lerp(x, prev, mixR, T);
            mk = lerp(x, prev, mixK, T);
            mv = lerp(x, prev, mixV, T);
            mg = gated ? lerp(x, prev, mixG, T) : null;
            w = null;
        } else {
            float[][] m = v6.mix(layer, x, prev, ctx);
            mr = m[3];
            mk = m[1];
            mv = m[2];
            mg = m[4];
            w = v6.decay(layer, m[0], decay, ctx);
        }
        float[] r = apply("att.receptance", layer, mr, ctx);
        float[] k = apply("att.key", layer, mk, ctx);
        float[] v = apply("att.value", layer, mv, ctx);
        float[] g = gated ? apply("att.gate", layer, mg, ctx) : null;
        float[] y = new float[T * C];
        float[] o = new float[C], rt = new float[C], kt = new float[C], vt = new float[C], wt = new float[C];
        float[] s = st.wkv[layer];
        for (int t = 0; t < T; t++) {
            int base = t * C;
            System.arraycopy(r, base, rt, 0, C);
            System.arraycopy(k, base, kt, 0, C);
            System.arraycopy(v, base, vt, 0, C);
            if (w != null) System.arraycopy(w, base, wt, 0, C);
            float[] dec = w != null ? wt : decay;
            for (int h = 0; h < C / N; h++) Wkv.v5(s, h * N * N, N, rt, kt, vt, dec, bonus, h * N, o);
            Norms.groupNorm(o, 0, y, base, C, N, lnW, lnB, eps);
            if (g != null) {
                for (int c = 0; c < C; c++) {
                    float gc = g[base + c];
                    y[base + c] *= gc * ForwardContext.sigmoid(gc);
                }
            }
        }
        output(layer, y, ctx, out);
    }

    static float[] lerp(float[] x, float[] prev, float[] mix, int T) {
        int C = mix.length;
        float[] m = new float[x.length];
        for (int t = 0; t < T; t++) {
            for (int c = 0, i = t * C; c < C; c++, i++) m[i] = x[i] * mix[c] + prev[i] * (1 - mix[c]);
        }
        return m;
    }




    @Override
    public long vectorParameters() {
        long n = (v6 == null ? (gated ? 4L : 3L) * C : v6.parameters()) + 2L * C;
        return n + decay.length + bonus.length;
    }
}
