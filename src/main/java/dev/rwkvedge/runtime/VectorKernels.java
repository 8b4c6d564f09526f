package dev.rwkvedge.runtime;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise loops of the blocks: the token shift fused with its mixes, so that every mixed input comes out of one
 * pass over x without building the shifted rows; and the loops full of exponentials (RWKV-4's WKV, RWKV-7's decay and
 * gates), which stay scalar double exps so that a result never depends on JIT state. The mixes compute exactly the
 * scalar expression (a multiply, then an add, never a fused multiply-add), so they give the same bits in both paths,
 * and serial and sequence mode stay bit-identical.
 */
final class VectorKernels {
    private static final VectorSpecies<Float> S = Kernels.S;

    private VectorKernels() {}

    /**
     * v6/v7: out[j] = x + (prev - x) * mixes[j] for the first {@code count} mixes, where prev is {@code state} for
     * row 0 and row t - 1 of x after it. The state is left alone (see {@link #endShift}).
     */
    static void lerpShift(float[] x, float[] state, int T, int C, float[][] mixes, float[][] outs, int count) {
        for (int t = 0; t < T; t++) {
            float[] p = t == 0 ? state : x;
            int po = t == 0 ? 0 : (t - 1) * C, xo = t * C, c = 0;
            if (Kernels.SIMD) {
                for (int upper = C - C % S.length(); c < upper; c += S.length()) {
                    FloatVector xv = FloatVector.fromArray(S, x, xo + c);
                    FloatVector xx = FloatVector.fromArray(S, p, po + c).sub(xv);
                    for (int j = 0; j < count; j++) {
                        xv.add(xx.mul(FloatVector.fromArray(S, mixes[j], c))).intoArray(outs[j], xo + c);
                    }
                }
            }
            for (; c < C; c++) {
                float xc = x[xo + c], xx = p[po + c] - xc;
                for (int j = 0; j < count; j++) outs[j][xo + c] = xc + xx * mixes[j][c];
            }
        }
    }

    /** v4/v5: out[j] = x * mixes[j] + prev * (1 - mixes[j]), prev as in {@link #lerpShift}. */
    static void scaleShift(float[] x, float[] state, int T, int C, float[][] mixes, float[][] outs, int count) {
        for (int t = 0; t < T; t++) {
            float[] p = t == 0 ? state : x;
            int po = t == 0 ? 0 : (t - 1) * C, xo = t * C, c = 0;
            if (Kernels.SIMD) {
                FloatVector one = FloatVector.broadcast(S, 1f);
                for (int upper = C - C % S.length(); c < upper; c += S.length()) {
                    FloatVector xv = FloatVector.fromArray(S, x, xo + c);
                    FloatVector pv = FloatVector.fromArray(S, p, po + c);
                    for (int j = 0; j < count; j++) {
                        FloatVector m = FloatVector.fromArray(S, mixes[j], c);
                        xv.mul(m).add(pv.mul(one.sub(m))).intoArray(outs[j], xo + c);
                    }
                }
            }
            for (; c < C; c++) {
                float xc = x[xo + c], pc = p[po + c];
                for (int j = 0; j < count; j++) {
                    float m = mixes[j][c];
                    outs[j][xo + c] = xc * m + pc * (1 - m);
                }
            }
        }
    }

    /** The shift state becomes the last row of x, once every mix of this call has read it. */
    static void endShift(float[] x, int T, int C, float[] state) {
        System.arraycopy(x, (T - 1) * C, state, 0, C);
    }

    /** y += d over the first n elements (the residual connection). */
    static void addInPlace(float[] y, float[] d, int n) {
        int i = 0;
        if (Kernels.SIMD) {
            for (int upper = n - n % S.length(); i < upper; i += S.length()) {
                FloatVector.fromArray(S, y, i).add(FloatVector.fromArray(S, d, i)).intoArray(y, i);
            }
        }
        for (; i < n; i++) y[i] += d[i];
    }


    /** a[i] = tanh(a[i]) for i < n; scalar: the Vector API's TANH rounds differently once C2 intrinsifies it. */
    static void tanh(float[] a, int n) {
        for (int i = 0; i < n; i++) a[i] = (float) Math.tanh(a[i]);
    }
}
