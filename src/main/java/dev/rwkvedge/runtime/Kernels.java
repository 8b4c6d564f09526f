package dev.rwkvedge.runtime;

import dev.rwkvedge.tensor.Simd;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The runtime's vector loops over activations and float32 rows. Weight matrices in their stored types compute
 * through {@link dev.rwkvedge.tensor.PackedMatrix}; both share {@link Simd}'s accumulation order, and
 * {@code -Drwkv.simd=false} switches every one to its scalar path.
 */
public final class Kernels {
    static final VectorSpecies<Float> S = Simd.S;
    static final boolean SIMD = Simd.ON;
    private static final int LANES = Simd.LANES;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private Kernels() {}

    public static boolean simd() {
        return SIMD;
    }

    /** Lane sum in {@link Simd#hsum}'s fixed order. */
    static float hsum(FloatVector v) {
        return Simd.hsum(v);
    }

    /** sum_i w[off/4 + i] * x[xOff + i] for i < n; {@code off} in bytes. */
    public static float dot(MemorySegment w, long off, float[] x, int xOff, int n) {
        return Simd.dot(w, off, x, xOff, n);
    }

    /** Dot of two heap vectors, in the same order as {@link #dot(MemorySegment, long, float[], int, int)}. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        return Simd.dot(a, aOff, b, bOff, n);
    }

    /** y[yOff..] = y * s + a * x (elementwise over n). */
    public static void scaleAddOuter(float[] y, int yOff, float[] s, int sOff, float a, float[] x, int xOff, int n) {
        int i = 0;
        if (SIMD) {
            int upper = n - n % LANES;
            for (; i < upper; i += LANES) {
                FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
                FloatVector sv = FloatVector.fromArray(S, s, sOff + i);
                FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
                yv.mul(sv).add(xv.mul(a)).intoArray(y, yOff + i);
            }
        }
        for (; i < n; i++) y[yOff + i] = y[yOff + i] * s[sOff + i] + a * x[xOff + i];
    }

    /** y += a * x over n heap floats. */
    public static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        axpy(a, MemorySegment.ofArray(x), 4L * xOff, y, yOff, n);
    }

    /**
     * y += a * x where x is n floats at byte offset {@code off} of a segment; every element fused, in the vector
     * lanes and the tail alike, so an element's result does not depend on where a range split puts it.
     */
    public static void axpy(float a, MemorySegment x, long off, float[] y, int yOff, int n) {
        int i = 0;
        if (SIMD) {
            int upper = n - n % LANES;
            FloatVector av = FloatVector.broadcast(S, a);
            for (; i < upper; i += LANES) {
                FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
                FloatVector.fromMemorySegment(S, x, off + 4L * i, LE).fma(av, yv).intoArray(y, yOff + i);
            }
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(a, x.get(F, off + 4L * i), y[yOff + i]);
    }

    /** z[b n + j] += h[b] * w[wOff + j] for the four rows b of z at once (w read once). */
    public static void axpy4(float[] w, int wOff, float[] h, float[] z, int n) {
        int j = 0;
        if (SIMD) {
            int upper = n - n % LANES;
            FloatVector v0 = FloatVector.broadcast(S, h[0]), v1 = FloatVector.broadcast(S, h[1]);
            FloatVector v2 = FloatVector.broadcast(S, h[2]), v3 = FloatVector.broadcast(S, h[3]);
            for (; j < upper; j += LANES) {
                FloatVector wv = FloatVector.fromArray(S, w, wOff + j);
                wv.fma(v0, FloatVector.fromArray(S, z, j)).intoArray(z, j);
                wv.fma(v1, FloatVector.fromArray(S, z, n + j)).intoArray(z, n + j);
                wv.fma(v2, FloatVector.fromArray(S, z, 2 * n + j)).intoArray(z, 2 * n + j);
                wv.fma(v3, FloatVector.fromArray(S, z, 3 * n + j)).intoArray(z, 3 * n + j);
            }
        }
        for (; j < n; j++) for (int b = 0; b < 4; b++) z[b * n + j] += h[b] * w[wOff + j];
    }

    /**
     * For the four rows b of z: dots[b] = w[wOff ..] . z_b, and g[wOff + j] += sum_b h[b] z_b[j], reading w and z
     * once. The dots sum their lanes in index order, so training is bit-reproducible whether or not C2 has compiled
     * this yet.
     */
    public static void dotsAndOuter4(float[] w, int wOff, float[] z, int n, float[] h, float[] g, float[] dots) {
        int j = 0;
        for (int b = 0; b < 4; b++) dots[b] = 0;
        if (SIMD) {
            int upper = n - n % LANES;
            FloatVector v0 = FloatVector.broadcast(S, h[0]), v1 = FloatVector.broadcast(S, h[1]);
            FloatVector v2 = FloatVector.broadcast(S, h[2]), v3 = FloatVector.broadcast(S, h[3]);
            FloatVector d0 = FloatVector.zero(S), d1 = d0, d2 = d0, d3 = d0;
            for (; j < upper; j += LANES) {
                FloatVector wv = FloatVector.fromArray(S, w, wOff + j);
                FloatVector e0 = FloatVector.fromArray(S, z, j), e1 = FloatVector.fromArray(S, z, n + j);
                FloatVector e2 = FloatVector.fromArray(S, z, 2 * n + j), e3 = FloatVector.fromArray(S, z, 3 * n + j);
                d0 = wv.fma(e0, d0);
                d1 = wv.fma(e1, d1);
                d2 = wv.fma(e2, d2);
                d3 = wv.fma(e3, d3);
                FloatVector gv = FloatVector.fromArray(S, g, wOff + j);
                e3.fma(v3, e2.fma(v2, e1.fma(v1, e0.fma(v0, gv)))).intoArray(g, wOff + j);
            }
            dots[0] = laneSum(d0);
            dots[1] = laneSum(d1);
            dots[2] = laneSum(d2);
            dots[3] = laneSum(d3);
        }
        for (; j < n; j++) {
            float wj = w[wOff + j];
            for (int b = 0; b < 4; b++) {
                dots[b] += wj * z[b * n + j];
                g[wOff + j] += h[b] * z[b * n + j];
            }
        }
    }

    private static float laneSum(FloatVector v) {
        float s = 0;
        for (int i = 0; i < LANES; i++) s += v.lane(i);
        return s;
    }

    /**
     * z[zOff ..] := scale * dBCE/dz = scale * (sigmoid(z) (1 + y (pw - 1)) - y pw) over n logits, with 0/1 labels
     * at y[yOff ..] and positive weight pw. Scalar on purpose: the Vector API's EXP rounds differently once C2
     * intrinsifies it, which made the same training run give other predictors from one run to the next.
     */
    public static void weightedBceGradient(float[] z, int zOff, float[] y, int yOff, int n, float pw, float scale) {
        for (int j = 0; j < n; j++) {
            float yj = y[yOff + j];
            float p = (float) (1.0 / (1.0 + Math.exp(-z[zOff + j])));
            z[zOff + j] = (p * (1 + yj * (pw - 1)) - yj * pw) * scale;
        }
    }
}
