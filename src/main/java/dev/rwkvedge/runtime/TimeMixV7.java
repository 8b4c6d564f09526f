package dev.rwkvedge.runtime;

import java.util.Map;

/** RWKV-7 ("x070") time mix: generalised delta rule with in-context learning rate a and value residual. */
public final class TimeMixV7 extends ProjectingTimeMix {
    private static final double DECAY_SCALE = Math.exp(-0.5);

    private final int C, H, N;
    private final float[] xr, xw, xk, xv, xa, xg, w0, a0, v0, kK, kA, rK, lnW, lnB;
    private final float eps;

    /** Vectors are length C (r_k is H*N); v0 may be null in layer 0. Projection names follow BlinkDL. */
    public TimeMixV7(int C, int N, float[][] mixes, float[] w0, float[] a0, float[] v0, float[] kK, float[] kA,
                     float[] rK, float[] lnW, float[] lnB, float eps, Map<String, Projection> projections) {
        super(projections);
        this.C = C;
        this.N = N;
        this.H = C / N;
        this.xr = mixes[0];
        this.xw = mixes[1];
        this.xk = mixes[2];
        this.xv = mixes[3];
        this.xa = mixes[4];
        this.xg = mixes[5];
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
        final int T = ctx.T;
        float[] prev = ForwardContext.shift(x, T, C, st.attShift[layer]);
        float[] mr = new float[T * C], mw = new float[T * C], mk = new float[T * C];
        float[] mv = new float[T * C], ma = new float[T * C], mg = new float[T * C];
        for (int t = 0; t < T; t++) {
            for (int c = 0, i = t * C; c < C; c++, i++) {
                float xx = prev[i] - x[i];
                mr[i] = x[i] + xx * xr[c];
                mw[i] = x[i] + xx * xw[c];
                mk[i] = x[i] + xx * xk[c];
                mv[i] = x[i] + xx * xv[c];
                ma[i] = x[i] + xx * xa[c];
                mg[i] = x[i] + xx * xg[c];
            }
        }
        float[] r = apply("att.receptance", layer, mr, ctx);
        float[] k = apply("att.key", layer, mk, ctx);
        float[] v = apply("att.value", layer, mv, ctx);
        float[] w = lora("att.w1", "att.w2", layer, mw, ctx, true);
        float[] a = lora("att.a1", "att.a2", layer, ma, ctx, false);
        float[] g = gate(layer, mg, ctx);
        if (layer == 0 || v0 == null) {
            ctx.vFirst = v.clone();
        } else {
            float[] vm = lora("att.v1", "att.v2", layer, mv, ctx, false);
            for (int t = 0; t < T; t++) {
                for (int c = 0, i = t * C; c < C; c++, i++) {
                    float mix = ForwardContext.sigmoid(v0[c] + vm[i]);
                    v[i] = v[i] + (ctx.vFirst[i] - v[i]) * mix;
                }
            }
        }
        float[] y = new float[T * C];
        float[] kk = new float[C], b = new float[C], kt = new float[C], decay = new float[C];
        float[] rt = new float[C], vt = new float[C], o = new float[C];
        float[] wkv = st.wkv[layer];
        for (int t = 0; t < T; t++) {
            int base = t * C;
            for (int c = 0; c < C; c++) {
                float kc = k[base + c];
                float ac = ForwardContext.sigmoid(a0[c] + a[base + c]);
                kk[c] = kc * kK[c];
                kt[c] = kc * (1 + (ac - 1) * kA[c]);
                b[c] = ac;
                decay[c] = (float) Math.exp(-DECAY_SCALE * ForwardContext.sigmoid(w0[c] + w[base + c]));
                rt[c] = r[base + c];
                vt[c] = v[base + c];
            }
            for (int h = 0; h < H; h++) {
                int ho = h * N;
                double ss = 0;
                for (int j = 0; j < N; j++) ss += (double) kk[ho + j] * kk[ho + j];
                float inv = (float) (1.0 / Math.max(Math.sqrt(ss), 1e-12));
                for (int j = 0; j < N; j++) {
                    kk[ho + j] *= inv;
                    b[ho + j] = kk[ho + j] * b[ho + j];
                }
                Wkv.v7(wkv, h * N * N, N, rt, decay, kt, vt, kk, b, ho, o);
            }
            Norms.groupNorm(o, 0, y, base, C, N, lnW, lnB, eps);
            for (int h = 0; h < H; h++) {
                int ho = h * N;
                float bonus = 0;
                for (int j = 0; j < N; j++) bonus += rt[ho + j] * kt[ho + j] * rK[ho + j];
                for (int j = 0; j < N; j++) y[base + ho + j] += bonus * vt[ho + j];
            }
            for (int c = 0; c < C; c++) y[base + c] *= g[base + c];
        }
        output(layer, y, ctx, out);
    }


    /** x @ w1 then (tanh or identity) then @ w2; the projections hold the transposes. */
    private float[] lora(String first, String second, int layer, float[] in, ForwardContext ctx, boolean tanh) {
        float[] mid = apply(first, layer, in, ctx);
        if (tanh) for (int i = 0; i < mid.length; i++) mid[i] = (float) Math.tanh(mid[i]);
        return apply(second, layer, mid, ctx);
    }

    private float[] gate(int layer, float[] in, ForwardContext ctx) {
        float[] mid = apply("att.g1", layer, in, ctx);
        for (int i = 0; i < mid.length; i++) mid[i] = ForwardContext.sigmoid(mid[i]);
        return apply("att.g2", layer, mid, ctx);
    }



    @Override
    public long vectorParameters() {
        long n = 6L * C + 5L * C + rK.length + 2L * C;
        return v0 == null ? n - C : n;
    }
}
