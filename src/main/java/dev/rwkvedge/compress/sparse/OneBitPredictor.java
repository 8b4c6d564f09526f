package dev.rwkvedge.compress.sparse;

import dev.rwkvedge.tensor.SignSums;

/**
 * The 1-bit predictor: K quantized to its signs with one scale per row (mean |K row|), the cheap score
 * u = K_1bit x, and the top (1 - p) fraction of neurons by score called active, so the predicted sparsity is p by
 * construction (F - round(p F) neurons active). The score is computed 8 inputs at a time from a per-token table of
 * subset sums (the sum of x over every sign pattern of a group of 8), so one row costs D/8 lookups instead of D
 * multiply-adds; that is what makes a predictor as wide as K cheaper than K itself. The signs are stored group by
 * group (all neurons' byte for inputs 0..7, then 8..15, ...) so each 1 KB table is used while it sits in L1; the
 * sums are {@link SignSums}'s (a vector kernel and the table as its scalar twin).
 */
public final class OneBitPredictor extends ShapedPredictor {
    /** Byte g * neurons + j: bit b is set when K[j][8g + b] >= 0. */
    private final byte[] signs;
    private final float[] scales;
    private final double p;
    private final int keep;

    private OneBitPredictor(int inputs, int neurons, byte[] signs, float[] scales, double p) {
        super(inputs, neurons);
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("sparsity p must be in [0, 1]");
        this.signs = signs;
        this.scales = scales;
        this.p = p;
        this.keep = neurons - (int) Math.round(p * neurons);
    }

    /** From K, row-major (neurons x inputs). */
    public static OneBitPredictor of(float[] k, int neurons, int inputs, double p) {
        byte[] signs = new byte[neurons * SignSums.groups(inputs)];
        float[] scales = new float[neurons];
        for (int j = 0; j < neurons; j++) {
            double abs = 0;
            for (int i = 0; i < inputs; i++) {
                float v = k[j * inputs + i];
                abs += Math.abs(v);
                if (v >= 0) signs[(i >>> 3) * neurons + j] |= (byte) (1 << (i & 7));
            }
            scales[j] = (float) (abs / inputs);
        }
        return new OneBitPredictor(inputs, neurons, signs, scales, p);
    }

    /** From stored signs (group-major, see {@link #signs()}) and row scales, as an export wrote them. */
    public static OneBitPredictor of(byte[] signs, float[] scales, int inputs, double p) {
        int neurons = scales.length;
        if (signs.length != neurons * SignSums.groups(inputs)) {
            throw new IllegalArgumentException(signs.length + " sign bytes do not fit " + neurons + " neurons of " + inputs);
        }
        return new OneBitPredictor(inputs, neurons, signs.clone(), scales.clone(), p);
    }

    /** Byte g * neurons + j: bit b is set when K[j][8g + b] >= 0. */
    public byte[] signs() {
        return signs.clone();
    }

    public float[] scales() {
        return scales.clone();
    }

    public double sparsity() {
        return p;
    }

    /** How many neurons every prediction marks active. */
    public int activeCount() {
        return keep;
    }

    @Override
    public OneBitPredictor atThreshold(double sparsity) {
        return new OneBitPredictor(inputs, neurons, signs, scales, sparsity);
    }

    /** u = scale_j (sum of x where K_j >= 0 minus sum where K_j < 0), for every neuron. */
    public float[] scores(float[] x, int xOff) {
        return scores(x, xOff, new float[neurons]);
    }

    /** The scores into u[0 .. neurons), which the sign sums add to: it is cleared first. */
    private float[] scores(float[] x, int xOff, float[] u) {
        java.util.Arrays.fill(u, 0, neurons, 0f);
        return scaled(SignSums.add(signs, neurons, x, xOff, inputs, u), u);
    }

    /** The scores through the scalar twin's table of subset sums (what the vector path must equal). */
    float[] tableScores(float[] x, int xOff) {
        float[] u = new float[neurons];
        return scaled(SignSums.addScalar(signs, neurons, x, xOff, inputs, u), u);
    }

    /** sum over K_j >= 0 minus sum over K_j < 0 is 2 (sum over K_j >= 0) - total. */
    private float[] scaled(float total, float[] u) {
        for (int j = 0; j < neurons; j++) u[j] = scales[j] * (2 * u[j] - total);
        return u;
    }

    @Override
    public int predict(float[] x, int xOff, int[] active) {
        if (keep >= neurons) {
            for (int j = 0; j < neurons; j++) active[j] = j;
            return neurons;
        }
        if (keep <= 0) return 0;
        TokenArrays arrays = TokenArrays.get();
        float[] u = scores(x, xOff, arrays.scores(neurons));
        float cut = TopK.kthLargest(u, neurons, keep, active, arrays.counts); // active is free until filled below
        int above = 0;
        for (int j = 0; j < neurons; j++) if (u[j] > cut) above++;
        int ties = keep - above, n = 0;
        for (int j = 0; j < neurons; j++) {
            if (u[j] > cut || (u[j] == cut && ties-- > 0)) active[n++] = j;
        }
        return n;
    }

    @Override
    public long parameters() {
        return (long) neurons * inputs + neurons;
    }

    /** One bit per weight (padded to whole bytes per row) and a float scale per neuron. */
    @Override
    public long residentBytes() {
        return signs.length + 4L * neurons;
    }

    @Override
    public String toString() {
        return "1-bit " + neurons + "x" + inputs + " p=" + p;
    }
}
