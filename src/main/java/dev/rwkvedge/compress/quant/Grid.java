package dev.rwkvedge.compress.quant;

/**
 * The values a group of weights may take once quantized, fitted to the group, and the rounding onto them; the
 * dequantized value is computed exactly as {@link dev.rwkvedge.tensor.Dequant} and {@link
 * dev.rwkvedge.runtime.Int8Projection} compute it, so that the error measured here is the error the runtime sees.
 */
abstract sealed class Grid {
    /** Weights per group along a row (int8: the whole row). */
    final int group;
    /** Floats of parameters per group (scale, and minimum for Q4_1). */
    final int params;

    private Grid(int group, int params) {
        this.group = group;
        this.params = params;
    }

    static Grid of(Precision p, int in) {
        return switch (p) {
            case Q4_0 -> new Q40();
            case Q4_1 -> new Q41();
            case INT8 -> new Int8(in);
            default -> throw new IllegalArgumentException(p.label() + " has no quantization grid");
        };
    }

    /** Fits the group w[off .. off+n) and writes its parameters to p[pOff ..]. */
    abstract void fit(double[] w, int off, int n, float[] p, int pOff);

    abstract int code(double x, float[] p, int pOff);

    abstract float value(int code, float[] p, int pOff);

    static int clamp(long v, int lo, int hi) {
        return (int) Math.max(lo, Math.min(hi, v));
    }

    /**
     * Q4_0: value (q - 8) d with q in 0..15. d = amax / 7.5 rounded up to float16, so the levels -8d .. 7d cover
     * [-amax, amax] and every weight is within d / 2 of its level (ggml's max / -8 is finer but clips the far side).
     */
    static final class Q40 extends Grid {
        Q40() {
            super(32, 1);
        }

        @Override
        void fit(double[] w, int off, int n, float[] p, int pOff) {
            double amax = 0;
            for (int i = off; i < off + n; i++) amax = Math.max(amax, Math.abs(w[i]));
            p[pOff] = Half.value(Half.up((float) (amax / 7.5)));
        }

        @Override
        int code(double x, float[] p, int pOff) {
            float d = p[pOff];
            return d == 0 ? 8 : clamp(Math.round(x / d) + 8, 0, 15);
        }

        @Override
        float value(int code, float[] p, int pOff) {
            return (code - 8) * p[pOff];
        }
    }

    /**
     * Q4_1: value q d + m with q in 0..15. m = the minimum rounded down to float16, d = (max - m) / 15 rounded up, so
     * every weight lies in [m, m + 15 d] and within d / 2 of its level.
     */
    static final class Q41 extends Grid {
        Q41() {
            super(32, 2);
        }

        @Override
        void fit(double[] w, int off, int n, float[] p, int pOff) {
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (int i = off; i < off + n; i++) {
                min = Math.min(min, w[i]);
                max = Math.max(max, w[i]);
            }
            float m = Half.value(Half.down((float) min));
            p[pOff] = Half.value(Half.up((float) ((max - m) / 15)));
            p[pOff + 1] = m;
        }

        @Override
        int code(double x, float[] p, int pOff) {
            float d = p[pOff];
            return d == 0 ? 0 : clamp(Math.round((x - p[pOff + 1]) / d), 0, 15);
        }

        @Override
        float value(int code, float[] p, int pOff) {
            return code * p[pOff] + p[pOff + 1];
        }
    }

    /** int8 as {@link dev.rwkvedge.runtime.Int8Projection#quantize}: scale = max|row| / 127, codes -127..127. */
    static final class Int8 extends Grid {
        Int8(int in) {
            super(in, 1);
        }

        @Override
        void fit(double[] w, int off, int n, float[] p, int pOff) {
            float amax = 0;
            for (int i = off; i < off + n; i++) amax = Math.max(amax, Math.abs((float) w[i]));
            p[pOff] = amax / 127f;
        }

        @Override
        int code(double x, float[] p, int pOff) {
            float s = p[pOff];
            float inv = s == 0 ? 0 : 1 / s;
            return clamp(Math.round((float) x * inv), -127, 127);
        }

        @Override
        float value(int code, float[] p, int pOff) {
            return code * p[pOff];
        }
    }
}
