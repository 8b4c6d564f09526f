package dev.rwkvedge.runtime;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** One token's update of one head's WKV matrix, the sequential core that no batching removes. */
final class Wkv {
    private static final VectorSpecies<Float> S = Kernels.S;

    private Wkv() {}

    /**
     * v5/v6: state s[i][j], i = key, j = value. out[j] = sum_i r_i (u_i k_i v_j + s_ij); s_ij = s_ij w_i + k_i v_j.
     * Vectors start at {@code o} (head offset within C); {@code so} is the head's offset in the state.
     */
    static void v5(float[] s, int so, int N, float[] r, float[] k, float[] v, float[] w, float[] u, int o,
                   float[] out) {
        for (int j = 0; j < N; j++) out[o + j] = 0;
        for (int i = 0; i < N; i++) {
            float ri = r[o + i], ki = k[o + i], wi = w[o + i], uk = u[o + i] * ki;
            int row = so + i * N;
            int j = 0;
            if (Kernels.SIMD) {
                int upper = N - N % S.length();
                for (; j < upper; j += S.length()) {
                    FloatVector vv = FloatVector.fromArray(S, v, o + j);
                    FloatVector sv = FloatVector.fromArray(S, s, row + j);
                    FloatVector ov = FloatVector.fromArray(S, out, o + j);
                    ov.add(vv.mul(uk).add(sv).mul(ri)).intoArray(out, o + j);
                    sv.mul(wi).add(vv.mul(ki)).intoArray(s, row + j);
                }
            }
            for (; j < N; j++) {
                float sij = s[row + j];
                out[o + j] += ri * (uk * v[o + j] + sij);
                s[row + j] = sij * wi + ki * v[o + j];
            }
        }
    }

    /**
     * v7: state s[i][j], i = value, j = key. sa_i = s_i . (-kk); s_ij = s_ij w_j + sa_i b_j + v_i k_j with
     * b = kk * a; out_i = s_i . r.
     */
    static void v7(float[] s, int so, int N, float[] r, float[] w, float[] k, float[] v, float[] kk, float[] b,
                   int o, float[] out) {
        for (int i = 0; i < N; i++) {
            int row = so + i * N;
            float sa = -Kernels.dot(s, row, kk, o, N);
            float vi = v[o + i];
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
                    av = sv.fma(FloatVector.fromArray(S, r, o + j), av);
                }
                acc = Kernels.hsum(av);
            }
            for (; j < N; j++) {
                float sij = s[row + j] * w[o + j] + sa * b[o + j] + vi * k[o + j];
                s[row + j] = sij;
                acc += sij * r[o + j];
            }
            out[o + i] = acc;
        }
    }
}
