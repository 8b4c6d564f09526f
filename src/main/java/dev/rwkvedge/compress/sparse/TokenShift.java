package dev.rwkvedge.compress.sparse;

/**
 * The channel mix's token shift and mixing, exactly as {@code DenseChannelMix} does them (so that a sparse mix with
 * every neuron active gives the dense result): v4/v5 mix as x*m + prev*(1-m), v6/v7 as x + (prev - x)*m.
 *
 * @param mixR null when the generation has no receptance gate (v7)
 */
record TokenShift(float[] mixK, float[] mixR, boolean lerpFromPrev) {

    int width() {
        return mixK.length;
    }

    /** Rows [prev, x_0 .. x_{T-2}] into s, and the state becomes x_{T-1}. */
    float[] previous(float[] x, int T, float[] state, float[] s) {
        int C = width();
        System.arraycopy(state, 0, s, 0, C);
        System.arraycopy(x, 0, s, C, (T - 1) * C);
        System.arraycopy(x, (T - 1) * C, state, 0, C);
        return s;
    }

    float[] key(float[] x, float[] prev, int T, float[] y) {
        return mix(x, prev, mixK, T, y);
    }

    float[] receptance(float[] x, float[] prev, int T, float[] y) {
        return mix(x, prev, mixR, T, y);
    }

    private float[] mix(float[] x, float[] prev, float[] m, int T, float[] y) {
        int C = m.length;
        for (int t = 0; t < T; t++) {
            for (int c = 0, i = t * C; c < C; c++, i++) {
                y[i] = lerpFromPrev ? x[i] + (prev[i] - x[i]) * m[c] : x[i] * m[c] + prev[i] * (1 - m[c]);
            }
        }
        return y;
    }

    long parameters() {
        return (long) mixK.length + (mixR == null ? 0 : mixR.length);
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }
}
