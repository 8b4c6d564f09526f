package dev.rwkvedge.runtime;

/**
 * RWKV-6's data-dependent token shift (ddlerp) and decay LoRA. maa_w1 (C, 5D) and maa_w2 (5, D, C) are held as
 * projections: W1 = maa_w1^T (5D x C) and, per mix m, W2[m] = maa_w2[m]^T (C x D).
 */
public final class TokenShiftV6 {
    private final int C;
    /** maa_x, then w, k, v, r, g. */
    private final float[] maaX, maaW, maaK, maaV, maaR, maaG;
    /** maa_w, _k, _v, _r, _g. */
    private final float[][] maa;
    private final Projection w1, decay1, decay2;
    private final Projection[] w2;

    public TokenShiftV6(int C, float[][] maa, Projection w1, Projection[] w2, Projection decay1, Projection decay2) {
        this.C = C;
        this.maaX = maa[0];
        this.maaW = maa[1];
        this.maaK = maa[2];
        this.maaV = maa[3];
        this.maaR = maa[4];
        this.maaG = maa[5];
        this.maa = new float[][] {maaW, maaK, maaV, maaR, maaG};
        this.w1 = w1;
        this.w2 = w2;
        this.decay1 = decay1;
        this.decay2 = decay2;
    }

    /** The five mixed inputs in the order w, k, v, r, g (each T x C). */
    float[][] mix(int layer, float[] x, float[] prev, ForwardContext ctx) {
        int T = ctx.T;
        float[] xx = ctx.buffer(T * C), xxx = ctx.buffer(T * C);
        for (int t = 0; t < T; t++) {
            for (int c = 0, i = t * C; c < C; c++, i++) {
                xx[i] = prev[i] - x[i];
                xxx[i] = x[i] + xx[i] * maaX[c];
            }
        }
        int fiveD = w1.outDim(), D = fiveD / 5;
        float[] mid = ctx.buffer(T * fiveD);
        w1.applyBatch(xxx, mid, T, ctx.par);
        for (int i = 0; i < mid.length; i++) mid[i] = (float) Math.tanh(mid[i]);
        float[][] res = ctx.group(5);
        float[] part = ctx.buffer(T * D), m = ctx.buffer(T * C);
        for (int j = 0; j < 5; j++) {
            res[j] = ctx.buffer(T * C);
            for (int t = 0; t < T; t++) System.arraycopy(mid, t * fiveD + j * D, part, t * D, D);
            w2[j].applyBatch(part, m, T, ctx.par);
            for (int t = 0; t < T; t++) {
                for (int c = 0, i = t * C; c < C; c++, i++) res[j][i] = x[i] + xx[i] * (maa[j][c] + m[i]);
            }
        }
        return res;
    }

    /** exp(-exp(w0 + tanh(xw @ d1) @ d2)) per token and channel. */
    float[] decay(int layer, float[] xw, float[] w0, ForwardContext ctx) {
        int T = ctx.T;
        float[] mid = ctx.buffer(T * decay1.outDim());
        decay1.applyBatch(xw, mid, T, ctx.par);
        for (int i = 0; i < mid.length; i++) mid[i] = (float) Math.tanh(mid[i]);
        float[] w = ctx.buffer(T * C);
        decay2.applyBatch(mid, w, T, ctx.par);
        for (int t = 0; t < T; t++) {
            for (int c = 0, i = t * C; c < C; c++, i++) w[i] = (float) Math.exp(-Math.exp(w0[c] + w[i]));
        }
        return w;
    }

    long parameters() {
        long n = 6L * C + w1.parameters() + decay1.parameters() + decay2.parameters();
        for (Projection p : w2) n += p.parameters();
        return n;
    }
}
