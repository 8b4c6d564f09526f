package dev.rwkvedge.runtime;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One token's update of one head's WKV matrix, the sequential core that no batching removes. Vectors are read at
 * the head's offset within their own arrays: the per-token rows of T x C arrays at {@code xo}, per-channel
 * parameters and per-token working vectors at their own offsets.
 */
final class Wkv {
    private static final VectorSpecies<Float> S = Kernels.S;

    private Wkv() {}

    /**
     * v5/v6: state s[i][j], i = key, j = value. out[j] = sum_i r_i (u_i k_i v_j + s_ij); s_ij = s_ij w_i + k_i v_j.
     * r, k, v at {@code xo}; w at {@code wo}; u at {@code uo}; out at {@code oo}; the head's state at {@code so}.
     */
    static void v5(float[] s, int so, int N, float[] r, float[] k, float[] v, int xo, float[] w, int wo, float[] u,
                   int uo, float[] out, int oo) {
        for (int j = 0; j < N; j++) out[oo + j] = 0;
        for (int i = 0; i < N; i++) {
            float ri = r[xo + i], ki = k[xo + i], wi = w[wo + i], uk = u[uo + i] * ki;
            int row = so + i * N;
            int j = 0;
            if (Kernels.SIMD) {
                int upper = N - N % S.length();
                for (; j < upper; j += S.length()) {
                    FloatVector vv = FloatVector.fromArray(S, v, xo + j);
                    FloatVector sv = FloatVector.fromArray(S, s, row + j);
                    FloatVector ov = FloatVector.fromArray(S, out, oo + j);
                    ov.add(vv.mul(uk).add(sv).mul(ri)).intoArray(out, oo + j);
                    sv.mul(wi).add(vv.mul(ki)).intoArray(s, row + j);
                }
            }
            for (; j < N; j++) {
                float sij = s[row + j];
                out[oo + j] += ri * (uk * v[xo + j] + sij);
                s[row + j] = sij * wi + ki * v[xo + j];
            }
        }
    }

    /**
     * v7: state s[i][j], i = value, j = key. sa_i = s_i . (-kk); s_ij = s_ij w_j + sa_i b_j + v_i k_j with
     * b = kk * a; out_i = s_i . r. r and v at {@code xo}; w, k, kk, b and out at {@code o}.
     */
    static void v7(float[] s, int so, int N, float[] r, float[] v, int xo, float[] w, float[] k, float[] kk,
                   float[] b, int o, float[] out) {
        for (int i = 0; i < N; i++) {
            int row = so + i * N;
            float sa = -Kernels.dot(s, row, kk, o, N);
            float vi = v[xo + i];
            int j = 0;
            float acc = 0;
            if (Kernels.SIMD) {
                int upper = N - N % S.length();
                FloatVector av = FloatVector.zero(S);
                for (; j < upper; j += S.length()) {
                    FloatVector sv = FloatVector.fromArray(S, s, row + j);
                    sv = sv.mul(FloatVector.fromArray(S, w, o + j))
                            .add(FloatVector.fromArray(S, b, o + j).mul(sa))
                            .add(FloatVector.fromArray(S, k, o + j).mul(vi));
                    sv.intoArray(s, row + j);
                    av = sv.fma(FloatVector.fromArray(S, r, xo + j), av);
                }
                acc = Kernels.hsum(av);
            }
            for (; j < N; j++) {
                float sij = s[row + j] * w[o + j] + sa * b[o + j] + vi * k[o + j];
                s[row + j] = sij;
                acc += sij * r[xo + j];
            }
            out[o + i] = acc;
        }
    }
}
