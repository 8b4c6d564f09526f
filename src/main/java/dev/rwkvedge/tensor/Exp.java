package dev.rwkvedge.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp over float32 whose vector lanes and scalar twin give the same bits: only IEEE adds, multiplies and fused
 * multiply-adds (exactly rounded in both, unlike the Vector API's EXP, which rounds differently once C2 intrinsifies
 * it), within 2 ulp of the exact exp. exp(x) = 2^k p(r) with k = round(x / ln 2), r = x - k ln 2 in two fused steps
 * (Cody-Waite), p cephes' degree-7 polynomial; 2^k is applied as two powers of two so that results down in the
 * subnormals and up to overflow come out right. NaN gives NaN, -inf 0, +inf +inf.
 */
public final class Exp {
    private static final VectorSpecies<Float> S = Simd.S;
    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split so that k * LN2_HI is exact for the k in range. */
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds to an integer held in the low mantissa bits. */
    private static final float ROUND = 0x1.8p23f;
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    /** Below LO the result is 0, above HI infinite; the clamp keeps k within two normal powers of two. */
    private static final float LO = -104f, HI = 89f;
    private static final float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f,
            P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    private Exp() {}

    public static float exp(float x) {
        x = Math.min(Math.max(x, LO), HI);
        float t = x * LOG2E + ROUND;
        float kf = t - ROUND;
        int k = Float.floatToRawIntBits(t) - ROUND_BITS;
        float r = Math.fma(kf, -LN2_HI, x);
        r = Math.fma(kf, -LN2_LO, r);
        float p = Math.fma(P0, r, P1);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        float y = Math.fma(p, r * r, r) + 1f;
        int k1 = k >> 1, k2 = k - k1;
        return y * Float.intBitsToFloat((k1 + 127) << 23) * Float.intBitsToFloat((k2 + 127) << 23);
    }

    /** {@link #exp(float)} lane by lane, bit for bit. */
    public static FloatVector exp(FloatVector x) {
        x = x.max(LO).min(HI);
        FloatVector t = x.mul(LOG2E).add(ROUND);
        FloatVector kf = t.sub(ROUND);
        IntVector k = t.reinterpretAsInts().sub(ROUND_BITS);
        FloatVector r = kf.fma(FloatVector.broadcast(S, -LN2_HI), x);
        r = kf.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(S, P0).fma(r, FloatVector.broadcast(S, P1));
        p = p.fma(r, FloatVector.broadcast(S, P2));
        p = p.fma(r, FloatVector.broadcast(S, P3));
        p = p.fma(r, FloatVector.broadcast(S, P4));
        p = p.fma(r, FloatVector.broadcast(S, P5));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        IntVector k1 = k.lanewise(VectorOperators.ASHR, 1), k2 = k.sub(k1);
        FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(s1).mul(s2);
    }

    /** out[oOff + i] = exp(x[xOff + i]) for i < n (in place when the arrays and offsets agree). */
    public static void exp(float[] x, int xOff, float[] out, int oOff, int n) {
        int i = 0;
        if (Simd.ON) {
            for (int upper = n - n % Simd.LANES; i < upper; i += Simd.LANES) {
                exp(FloatVector.fromArray(S, x, xOff + i)).intoArray(out, oOff + i);
            }
        }
        for (; i < n; i++) out[oOff + i] = exp(x[xOff + i]);
    }

    /** 1 / (1 + exp(-x)), in both paths. */
    public static float sigmoid(float x) {
        return 1f / (1f + exp(-x));
    }

    /** {@link #sigmoid(float)} lane by lane, bit for bit. */
    public static FloatVector sigmoid(FloatVector x) {
        return FloatVector.broadcast(S, 1f).div(exp(x.neg()).add(1f));
    }

    /** a[i] = sigmoid(a[i]) for i < n. */
    public static void sigmoid(float[] a, int n) {
        int i = 0;
        if (Simd.ON) {
            for (int upper = n - n % Simd.LANES; i < upper; i += Simd.LANES) {
                sigmoid(FloatVector.fromArray(S, a, i)).intoArray(a, i);
            }
        }
        for (; i < n; i++) a[i] = sigmoid(a[i]);
    }
    /** y[yOff + i] *= silu(g[gOff + i]) = g sigmoid(g), for i < n (RWKV-5/6's output gate). */
    public static void timesSilu(float[] y, int yOff, float[] g, int gOff, int n) {
        int i = 0;
        if (Simd.ON) {
            for (int upper = n - n % Simd.LANES; i < upper; i += Simd.LANES) {
                FloatVector gv = FloatVector.fromArray(S, g, gOff + i);
                FloatVector.fromArray(S, y, yOff + i).mul(gv.mul(sigmoid(gv))).intoArray(y, yOff + i);
            }
        }
        for (; i < n; i++) {
            float gi = g[gOff + i];
            y[yOff + i] = y[yOff + i] * (gi * sigmoid(gi));
        }
    }
}
