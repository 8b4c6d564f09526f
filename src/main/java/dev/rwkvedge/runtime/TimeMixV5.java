package dev.rwkvedge.runtime;

import dev.rwkvedge.tensor.Wkv;
import java.util.Map;

/**
 * RWKV-5 and RWKV-6 time mix (matrix-valued state, GroupNorm). v5.1: no gate, one decay and bonus per head.
 * v5.2: gate, per-channel decay and bonus. v6: data-dependent token shift (ddlerp) and decay, through
 * {@link TokenShiftV6}.
 */
public final class TimeMixV5 extends ProjectingTimeMix {
    private final int C, N;
    /** v5: static mixes r, k, v, g (x*mix + prev*(1-mix)); null for v6. */
    private final float[][] mixes;
    /** Per channel: exp(-exp(w)) for v5, w0 (raw) for v6; bonus multiplier u. */
    private final float[] decay, bonus, lnW, lnB;
    private final float eps;
    private final boolean gated;
    private final TokenShiftV6 v6;
    private final ProjectionSet.Slot receptance = p.slot("att.receptance"), key = p.slot("att.key"),
            value = p.slot("att.value"), gate = p.slot("att.gate");

    public TimeMixV5(int C, int N, float[][] mixes, float[] decay, float[] bonus, float[] lnW, float[] lnB, float eps,
                     boolean gated, TokenShiftV6 v6, Map<String, Projection> projections) {
        super(projections);
        this.C = C;
        this.N = N;
        this.mixes = mixes;
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
        float[] state = st.attShift[layer];
        float[] mr, mk, mv, mg, w;
        if (v6 == null) {
            mr = ctx.buffer(T * C);
            mk = ctx.buffer(T * C);
            mv = ctx.buffer(T * C);
            mg = gated ? ctx.buffer(T * C) : null;
            float[][] outs = ctx.group(4);
            outs[0] = mr;
            outs[1] = mk;
            outs[2] = mv;
            outs[3] = mg;
            VectorKernels.scaleShift(x, state, T, C, mixes, outs, gated ? 4 : 3);
            VectorKernels.endShift(x, T, C, state);
            w = null;
        } else {
            float[] prev = ctx.buffer(T * C);
            System.arraycopy(state, 0, prev, 0, C);
            System.arraycopy(x, 0, prev, C, (T - 1) * C);
            VectorKernels.endShift(x, T, C, state);
            float[][] m = v6.mix(layer, x, prev, ctx);
            mr = m[3];
            mk = m[1];
            mv = m[2];
            mg = m[4];
            w = v6.decay(layer, m[0], decay, ctx);
        }
        float[] r = apply(receptance, layer, mr, ctx);
        float[] k = apply(key, layer, mk, ctx);
        float[] v = apply(value, layer, mv, ctx);
        float[] g = gated ? apply(gate, layer, mg, ctx) : null;
        float[] y = ctx.buffer(T * C), o = ctx.buffer(C);
        float[] s = st.wkv[layer];
        for (int t = 0; t < T; t++) {
            int base = t * C;
            for (int h = 0, ho = 0; ho < C; h++, ho += N) {
                if (w != null) Wkv.v5(s, h * N * N, N, r, k, v, base + ho, w, base + ho, bonus, ho, o, ho);
                else Wkv.v5(s, h * N * N, N, r, k, v, base + ho, decay, ho, bonus, ho, o, ho);
            }
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

    @Override
    public long vectorParameters() {
        long n = (v6 == null ? (gated ? 4L : 3L) * C : v6.parameters()) + 2L * C;
        return n + decay.length + bonus.length;
    }
}
