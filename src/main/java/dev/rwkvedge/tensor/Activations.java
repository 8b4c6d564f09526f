package dev.rwkvedge.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The gates of the blocks over whole arrays, through {@link Exp}: the vector lanes and the scalar tail give the same
 * bits. Every method here is compiled on its own (see {@link KernelCompilation}), so its vector exp never lands in
 * a caller whose node budget is spent.
 */
public final class Activations {
    private static final VectorSpecies<Float> S = Simd.S;

    private Activations() {}

    /** a[off + i] = sigmoid(a[off + i]) for i < n. */
    public static void sigmoid(float[] a, int off, int n) {
        int i = 0;
        if (Simd.ON) {
            for (int upper = n - n % Simd.LANES; i < upper; i += Simd.LANES) {
                Exp.sigmoid(FloatVector.fromArray(S, a, off + i)).intoArray(a, off + i);
            }
        }
        for (; i < n; i++) a[off + i] = Exp.sigmoid(a[off + i]);
    }

    /** y[yOff + i] *= sigmoid(g[gOff + i]) for i < n (the channel mix's receptance gate). */
    public static void timesSigmoid(float[] y, int yOff, float[] g, int gOff, int n) {
        int i = 0;
        if (Simd.ON) {
            for (int upper = n - n % Simd.LANES; i < upper; i += Simd.LANES) {
                FloatVector s = Exp.sigmoid(FloatVector.fromArray(S, g, gOff + i));
                FloatVector.fromArray(S, y, yOff + i).mul(s).intoArray(y, yOff + i);
            }
        }
        for (; i < n; i++) y[yOff + i] = y[yOff + i] * Exp.sigmoid(g[gOff + i]);
    }

    /** y[yOff + i] *= silu(g[gOff + i]) = g sigmoid(g), for i < n (RWKV-5/6's output gate). */
    public static void timesSilu(float[] y, int yOff, float[] g, int gOff, int n) {
        int i = 0;
        if (Simd.ON) {
            for (int upper = n - n % Simd.LANES; i < upper; i += Simd.LANES) {
                FloatVector gv = FloatVector.fromArray(S, g, gOff + i);
                FloatVector.fromArray(S, y, yOff + i).mul(gv.mul(Exp.sigmoid(gv))).intoArray(y, yOff + i);
            }
        }
        for (; i < n; i++) {
            float gi = g[gOff + i];
            y[yOff + i] = y[yOff + i] * (gi * Exp.sigmoid(gi));
        }
    }

    /** a[off + i] = exp(scale * a[off + i]) for i < n (RWKV-7's decay). */
    public static void expScaled(float[] a, int off, int n, float scale) {
        int i = 0;
        if (Simd.ON) {
            for (int upper = n - n % Simd.LANES; i < upper; i += Simd.LANES) {
                Exp.exp(FloatVector.fromArray(S, a, off + i).mul(scale)).intoArray(a, off + i);
            }
        }
        for (; i < n; i++) a[off + i] = Exp.exp(a[off + i] * scale);
    }
}
