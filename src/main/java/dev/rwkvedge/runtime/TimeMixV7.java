package dev.rwkvedge.runtime;

import dev.rwkvedge.tensor.Activations;
import dev.rwkvedge.tensor.Simd;
import dev.rwkvedge.tensor.Wkv;
import java.util.Map;

/** RWKV-7 ("x070") time mix: generalised delta rule with in-context learning rate a and value residual. */
public final class TimeMixV7 extends ProjectingTimeMix {
    /** decay = exp(-e^-0.5 sigmoid(w0 + w)). */
    private static final float DECAY_SCALE = (float) -Math.exp(-0.5);

    private final int C, H, N;
    /** r, w, k, v, a, g */
    private final float[][] mixes;
    private final float[] w0, a0, v0, kK, kA, rK, lnW, lnB;
    private final ProjectionSet.Slot receptance = p.slot("att.receptance"), key = p.slot("att.key"),
            value = p.slot("att.value"), w1 = p.slot("att.w1"), w2 = p.slot("att.w2"), a1 = p.slot("att.a1"),
            a2 = p.slot("att.a2"), v1 = p.slot("att.v1"), v2 = p.slot("att.v2"), g1 = p.slot("att.g1"),
            g2 = p.slot("att.g2");
    private final float eps;

    /** Vectors are length C (r_k is H*N); v0 may be null in layer 0. Projection names follow BlinkDL. */
    public TimeMixV7(int C, int N, float[][] mixes, float[] w0, float[] a0, float[] v0, float[] kK, float[] kA,
                     float[] rK, float[] lnW, float[] lnB, float eps, Map<String, Projection> projections) {
        super(projections);
        this.C = C;
        this.N = N;
        this.H = C / N;
        this.mixes = mixes.clone();
        this.w0 = w0;
        this.a0 = a0;
        this.v0 = v0;
        this.kK = kK;
        this.kA = kA;
        this.rK = rK;
        this.lnW = lnW;
        this.lnB = lnB;
        this.eps = eps;
    }

    @Override
    public void forward(int layer, float[] x, RwkvState st, ForwardContext ctx, float[] out) {
        final int T = ctx.T, TC = T * C;
        float[] mr = ctx.buffer(TC), mw = ctx.buffer(TC), mk = ctx.buffer(TC);
        float[] mv = ctx.buffer(TC), ma = ctx.buffer(TC), mg = ctx.buffer(TC);
        float[][] outs = ctx.group(6);
        outs[0] = mr;
        outs[1] = mw;
        outs[2] = mk;
        outs[3] = mv;
        outs[4] = ma;
        outs[5] = mg;
        VectorKernels.lerpShift(x, st.attShift[layer], T, C, mixes, outs, 6);
        VectorKernels.endShift(x, T, C, st.attShift[layer]);
        float[] r = apply(receptance, layer, mr, ctx);
        float[] k = apply(key, layer, mk, ctx);
        float[] v = apply(value, layer, mv, ctx);
        float[] w = lora(w1, w2, layer, mw, ctx, true);
        float[] a = lora(a1, a2, layer, ma, ctx, false);
        float[] g = gate(layer, mg, ctx);
        if (layer == 0 || v0 == null) {
            ctx.vFirst = ctx.firstValues(TC);
            System.arraycopy(v, 0, ctx.vFirst, 0, TC);
        } else {
            float[] vm = lora(v1, v2, layer, mv, ctx, false);
            for (int t = 0; t < T; t++) for (int c = 0, i = t * C; c < C; c++, i++) vm[i] += v0[c];
            Activations.sigmoid(vm, 0, TC);
            for (int i = 0; i < TC; i++) v[i] = v[i] + (ctx.vFirst[i] - v[i]) * vm[i];
        }
        float[] y = ctx.buffer(TC);
        float[] kk = ctx.buffer(C), b = ctx.buffer(C), kt = ctx.buffer(C), decay = ctx.buffer(C), o = ctx.buffer(C);
        float[] wkv = st.wkv[layer], lanes = ctx.buffer(Simd.LANES);
        for (int t = 0; t < T; t++) {
            int base = t * C;
            for (int c = 0; c < C; c++) {
                b[c] = a0[c] + a[base + c];
                decay[c] = w0[c] + w[base + c];
            }
            Activations.sigmoid(b, 0, C);
            Activations.sigmoid(decay, 0, C);
            Activations.expScaled(decay, 0, C, DECAY_SCALE);
            for (int c = 0; c < C; c++) {
                float kc = k[base + c], ac = b[c];
                kk[c] = kc * kK[c];
                kt[c] = kc * (1 + (ac - 1) * kA[c]);
            }
            Wkv.v7(wkv, H, N, r, v, base, decay, kt, kk, b, o, lanes);
            Norms.groupNorm(o, 0, y, base, C, N, lnW, lnB, eps);
            for (int h = 0; h < H; h++) {
                int ho = h * N, xo = base + ho;
                float bonus = 0;
                for (int j = 0; j < N; j++) bonus += r[xo + j] * kt[ho + j] * rK[ho + j];
                for (int j = 0; j < N; j++) y[xo + j] += bonus * v[xo + j];
            }
            for (int c = 0; c < C; c++) y[base + c] *= g[base + c];
        }
        output(layer, y, ctx, out);
    }

    /** x @ w1 then (tanh or identity) then @ w2; the projections hold the transposes. */
    private float[] lora(ProjectionSet.Slot first, ProjectionSet.Slot second, int layer, float[] in,
                         ForwardContext ctx, boolean tanh) {
        float[] mid = apply(first, layer, in, ctx);
        if (tanh) VectorKernels.tanh(mid, mid.length);
        return apply(second, layer, mid, ctx);
    }

    private float[] gate(int layer, float[] in, ForwardContext ctx) {
        float[] mid = apply(g1, layer, in, ctx);
        Activations.sigmoid(mid, 0, mid.length);
        return apply(g2, layer, mid, ctx);
    }

    @Override
    public long vectorParameters() {
        long n = 6L * C + 5L * C + rK.length + 2L * C;
        return v0 == null ? n - C : n;
    }
}
