package dev.rwkvedge.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One token's update of one head's WKV matrix, the sequential core that no batching removes. Vectors are read at
 * the head's offset within their own arrays: the per-token rows of T x C arrays at {@code xo}, per-channel
 * parameters and per-token working vectors at their own offsets.
 */
public final class Wkv {
    private static final VectorSpecies<Float> S = Simd.S;

    private Wkv() {}

    /**
     * v5/v6: state s[i][j], i = key, j = value. out[j] = sum_i r_i (u_i k_i v_j + s_ij); s_ij = s_ij w_i + k_i v_j.
     * r, k, v at {@code xo}; w at {@code wo}; u at {@code uo}; out at {@code oo}; the head's state at {@code so}.
     */
    public static void v5(float[] s, int so, int N, float[] r, float[] k, float[] v, int xo, float[] w, int wo, float[] u,
                   int uo, float[] out, int oo) {
        for (int j = 0; j < N; j++) out[oo + j] = 0;
        for (int i = 0; i < N; i++) {
            float ri = r[xo + i], ki = k[xo + i], wi = w[wo + i], uk = u[uo + i] * ki;
            int row = so + i * N;
            int j = 0;
            if (Simd.ON) {
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
     * v7, one token, all H heads of size N: kk is normalised per head and b := kk * b (b holds a on entry); then for
     * each head, state s[i][j] (i = value, j = key): sa_i = s_i . (-kk); s_ij = s_ij w_j + sa_i b_j + v_i k_j;
     * out_i = s_i . r. r and v at {@code xo}; w, k, kk, b and out at 0. {@code lanes} holds {@link Simd#LANES}
     * floats, where a row's accumulator is summed in {@link Simd#hsum}'s order.
     *
     * <p>Why all heads in one call: C2 inlines a hot method of up to 325 bytes of bytecode into its caller, and a
     * caller as large as a time mix's forward then runs out of its node budget before the Vector API's own methods
     * are inlined, so every vector op is boxed (ten times slower, and garbage). A kernel this size is compiled on
     * its own, with its whole budget for the vector code.
     */
    public static void v7(float[] s, int H, int N, float[] r, float[] v, int xo, float[] w, float[] k, float[] kk,
                          float[] b, float[] out, float[] lanes) {
        for (int h = 0; h < H; h++) {
            int ho = h * N;
            double ss = 0;
            for (int j = 0; j < N; j++) ss += (double) kk[ho + j] * kk[ho + j];
            float inv = (float) (1.0 / Math.max(Math.sqrt(ss), 1e-12));
            for (int j = 0; j < N; j++) {
                kk[ho + j] *= inv;
                b[ho + j] = kk[ho + j] * b[ho + j];
            }
            head(s, h * N * N, N, r, v, xo + ho, w, k, kk, b, ho, out, lanes);
        }
    }

    private static void head(float[] s, int so, int N, float[] r, float[] v, int xo, float[] w, float[] k,
                             float[] kk, float[] b, int o, float[] out, float[] lanes) {
        for (int i = 0; i < N; i++) {
            int row = so + i * N;
            float sa = -Simd.dot(s, row, kk, o, N);
            float vi = v[xo + i];
            int j = 0;
            float acc = 0;
            if (Simd.ON) {
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
                av.intoArray(lanes, 0);
                acc = Simd.treeSum(lanes, 0);
            }
            for (; j < N; j++) {
                float sij = s[row + j] * w[o + j] + sa * b[o + j] + vi * k[o + j];
                s[row + j] = sij;
                acc += sij * r[xo + j];
            }
            out[o + i] = acc;
        }
    }

    /**
     * RWKV-4's numerically stabilised WKV for one token: channels [0, C) of k, v, r at {@code xo}, the state
     * (aa, bb, pp) updated in place, y = sigmoid(r) * wkv. {@code e} is working space of 5 C floats.
     *
     * <p>Why in three passes: five vector exps in one compiled method are more than C2's node budget takes, and
     * the ones it cuts off run boxed (18 kB of garbage per token on the tiny v4 model, and a loop ten times
     * slower). So the first pass writes the five exponents of every channel, one {@link Exp#exp(float[], int,
     * float[], int, int)} takes them all, and the last pass combines them. Every pass runs the same IEEE operations
     * in the vector lanes and the scalar tail, so a channel's result does not depend on where it falls.
     */
    public static void v4(float[] k, float[] v, float[] r, int xo, float[] first, float[] decay, float[] aa,
                          float[] bb, float[] pp, float[] y, int C, float[] e) {
        // e = [pp - q | u + k - q | pp + w - q' | k - q' | -r] with q = max(pp, u + k), q' = max(pp + w, k)
        int c = 0;
        if (Simd.ON) {
            for (int upper = C - C % S.length(); c < upper; c += S.length()) {
                int i = xo + c;
                FloatVector kc = FloatVector.fromArray(S, k, i), p = FloatVector.fromArray(S, pp, c);
                FloatVector ww = FloatVector.fromArray(S, first, c).add(kc);
                FloatVector q = p.max(ww);
                p.sub(q).intoArray(e, c);
                ww.sub(q).intoArray(e, C + c);
                ww = p.add(FloatVector.fromArray(S, decay, c));
                q = ww.max(kc);
                ww.sub(q).intoArray(e, 2 * C + c);
                kc.sub(q).intoArray(e, 3 * C + c);
                FloatVector.fromArray(S, r, i).neg().intoArray(e, 4 * C + c);
                q.intoArray(pp, c);
            }
        }
        for (int i = xo + c; c < C; c++, i++) {
            float kc = k[i], p = pp[c];
            float ww = first[c] + kc;
            float q = Math.max(p, ww);
            e[c] = p - q;
            e[C + c] = ww - q;
            ww = p + decay[c];
            q = Math.max(ww, kc);
            e[2 * C + c] = ww - q;
            e[3 * C + c] = kc - q;
            e[4 * C + c] = -r[i];
            pp[c] = q;
        }
        Exp.exp(e, 0, e, 0, 5 * C);
        c = 0;
        if (Simd.ON) {
            for (int upper = C - C % S.length(); c < upper; c += S.length()) {
                int i = xo + c;
                FloatVector vc = FloatVector.fromArray(S, v, i);
                FloatVector a = FloatVector.fromArray(S, aa, c), b = FloatVector.fromArray(S, bb, c);
                FloatVector e1 = FloatVector.fromArray(S, e, c), e2 = FloatVector.fromArray(S, e, C + c);
                FloatVector wkv = e1.mul(a).add(e2.mul(vc)).div(e1.mul(b).add(e2));
                FloatVector sig = FloatVector.broadcast(S, 1f).div(FloatVector.fromArray(S, e, 4 * C + c).add(1f));
                sig.mul(wkv).intoArray(y, i);
                e1 = FloatVector.fromArray(S, e, 2 * C + c);
                e2 = FloatVector.fromArray(S, e, 3 * C + c);
                e1.mul(a).add(e2.mul(vc)).intoArray(aa, c);
                e1.mul(b).add(e2).intoArray(bb, c);
            }
        }
        for (int i = xo + c; c < C; c++, i++) {
            float vc = v[i], e1 = e[c], e2 = e[C + c];
            float wkv = (e1 * aa[c] + e2 * vc) / (e1 * bb[c] + e2);
            y[i] = 1f / (1f + e[4 * C + c]) * wkv;
            e1 = e[2 * C + c];
            e2 = e[3 * C + c];
            aa[c] = e1 * aa[c] + e2 * vc;
            bb[c] = e1 * bb[c] + e2;
        }
    }
}
