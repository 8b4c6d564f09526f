package dev.rwkvedge.runtime;

import dev.rwkvedge.tensor.Simd;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * LayerNorm and GroupNorm; statistics in double so the float32 result is the correctly rounded one. The vector
 * path (rows whose length is a multiple of the double lanes) widens {@link #D}'s lane count of floats at a time to double and sums lane-wise, then adds the lanes in a
 * fixed pairwise order (never the Vector API's reduction, whose order may change once C2 compiles it), so a row
 * gives the same bits on every call, cold or warm, and serial and sequence mode stay equal.
 */
public final class Norms {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int DL = D.length();
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(32 * Math.max(2, DL)));
    private static final boolean VECTOR = Simd.ON && DL >= 4 && F.length() == DL;

    private Norms() {}

    public static void layerNorm(float[] x, int xOff, float[] y, int yOff, int n, float[] w, float[] b, float eps) {
        normalize(x, xOff, y, yOff, n, w, b, 0, eps);
    }

    /** Normalises each of the groups of size {@code size} separately (GroupNorm with n / size groups). */
    public static void groupNorm(float[] x, int xOff, float[] y, int yOff, int n, int size, float[] w, float[] b,
                                 float eps) {
        for (int g = 0; g < n; g += size) normalize(x, xOff + g, y, yOff + g, size, w, b, g, eps);
    }

    /**
     * One method for both paths on purpose: at over 325 bytes of bytecode C2 never inlines it into a caller, whose
     * node budget would run out before the Vector API's calls are inlined (they would then run boxed).
     */
    static void normalize(float[] x, int xOff, float[] y, int yOff, int n, float[] w, float[] b, int wOff,
                          float eps) {
        if (VECTOR && n % DL == 0) {
            DoubleVector sum = DoubleVector.zero(D);
            for (int i = 0; i < n; i += DL) sum = sum.add(widen(x, xOff + i));
            double mean = laneSum(sum) / n;
            DoubleVector sq = DoubleVector.zero(D);
            for (int i = 0; i < n; i += DL) {
                DoubleVector d = widen(x, xOff + i).sub(mean);
                sq = sq.add(d.mul(d));
            }
            double inv = 1.0 / Math.sqrt(laneSum(sq) / n + eps);
            for (int i = 0; i < n; i += DL) {
                DoubleVector v = widen(x, xOff + i).sub(mean).mul(inv).mul(widen(w, wOff + i)).add(widen(b, wOff + i));
                ((FloatVector) v.convertShape(VectorOperators.D2F, F, 0)).intoArray(y, yOff + i);
            }
            return;
        }
        double mean = 0;
        for (int i = 0; i < n; i++) mean += x[xOff + i];
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) {
            double d = x[xOff + i] - mean;
            var += d * d;
        }
        var /= n;
        double inv = 1.0 / Math.sqrt(var + eps);
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) ((x[xOff + i] - mean) * inv * w[wOff + i] + b[wOff + i]);
        }
    }

    private static DoubleVector widen(float[] a, int off) {
        return (DoubleVector) FloatVector.fromArray(F, a, off).convertShape(VectorOperators.F2D, D, 0);
    }

    /** The lanes added pairwise in a fixed order: lane extraction and scalar adds give the same bits everywhere. */
    private static double laneSum(DoubleVector v) {
        double s = 0;
        for (int h = 0; h < DL; h += 4) s += (v.lane(h) + v.lane(h + 1)) + (v.lane(h + 2) + v.lane(h + 3));
        return s;
    }
}
