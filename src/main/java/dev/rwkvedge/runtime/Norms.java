package dev.rwkvedge.runtime;

/** LayerNorm and GroupNorm; statistics in double so the float32 result is the correctly rounded one. */
public final class Norms {
    private Norms() {}

    public static void layerNorm(float[] x, int xOff, float[] y, int yOff, int n, float[] w, float[] b, float eps) {
        normalize(x, xOff, y, yOff, n, w, b, 0, eps);
    }

    /** Normalises each of the groups of size {@code size} separately (GroupNorm with n / size groups). */
    public static void groupNorm(float[] x, int xOff, float[] y, int yOff, int n, int size, float[] w, float[] b,
                                 float eps) {
        for (int g = 0; g < n; g += size) normalize(x, xOff + g, y, yOff + g, size, w, b, g, eps);
    }

    private static void normalize(float[] x, int xOff, float[] y, int yOff, int n, float[] w, float[] b, int wOff,
                                  float eps) {
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
}
