package dev.rwkvedge.analysis;

/**
 * Summary numbers of one spectrum s_1 >= s_2 >= ... >= s_n, the ones that guide a low-rank choice.
 *
 * <ul>
 * <li>energy kept at rank r: (s_1^2 + ... + s_r^2) / ||W||_F^2, the share of the Frobenius norm a rank-r truncation
 * keeps (Eckart-Young: its squared error is the rest);</li>
 * <li>rank90/95/99: the smallest r that keeps at least 90/95/99% of the energy;</li>
 * <li>stable rank ||W||_F^2 / s_1^2, a rank that is robust to tiny singular values;</li>
 * <li>effective rank exp(H(p)) with p_i = s_i / sum s_j and H the Shannon entropy in nats (Roy and Vetterli 2007);</li>
 * <li>the power-law alpha of the eigenvalue density of W^T W ({@link PowerLawFit}).</li>
 * </ul>
 * A matrix of zeros has energy share 1 at every rank, ranks 0, and stable and effective rank 0.
 */
public record SpectrumMetrics(double frobeniusSquared, double spectralNorm, double stableRank, double effectiveRank,
                              int rank90, int rank95, int rank99, PowerLawFit powerLaw) {

    public static SpectrumMetrics of(Spectrum s) {
        return of(s.values());
    }

    /** @param s singular values, descending */
    public static SpectrumMetrics of(float[] s) {
        double fro = frobeniusSquared(s);
        double top = s.length == 0 ? 0 : s[0];
        double stable = top == 0 ? 0 : fro / (top * top);
        return new SpectrumMetrics(fro, top, stable, effectiveRank(s), rankFor(s, 0.90), rankFor(s, 0.95),
                rankFor(s, 0.99), PowerLawFit.ofSingularValues(s));
    }

    public double alpha() {
        return powerLaw.alpha();
    }

    static double frobeniusSquared(float[] s) {
        double sum = 0;
        for (float v : s) sum += (double) v * v;
        return sum;
    }

    /** Share of the squared Frobenius norm in the top r singular values (r clipped to [0, n]). */
    public static double energyAt(float[] s, int r) {
        double total = frobeniusSquared(s);
        if (total == 0) return 1;
        double kept = 0;
        for (int i = 0; i < Math.min(r, s.length); i++) kept += (double) s[i] * s[i];
        return kept / total;
    }

    /** The energy share at every rank 0..n (index r), for a chart. */
    public static double[] energyCurve(float[] s) {
        double total = frobeniusSquared(s);
        double[] curve = new double[s.length + 1];
        double kept = 0;
        curve[0] = total == 0 ? 1 : 0;
        for (int i = 0; i < s.length; i++) {
            kept += (double) s[i] * s[i];
            curve[i + 1] = total == 0 ? 1 : kept / total;
        }
        return curve;
    }

    /** The smallest rank whose energy share reaches {@code share} (0 < share <= 1). */
    public static int rankFor(float[] s, double share) {
        if (!(share > 0 && share <= 1)) throw new IllegalArgumentException("energy share must be in (0, 1]: " + share);
        double total = frobeniusSquared(s);
        if (total == 0) return 0;
        double kept = 0;
        for (int i = 0; i < s.length; i++) {
            kept += (double) s[i] * s[i];
            // a relative slack so that share 1.0 is reached despite rounding in the running sum
            if (kept >= share * total * (1 - 1e-12)) return i + 1;
        }
        return s.length;
    }

    public static double effectiveRank(float[] s) {
        double sum = 0;
        for (float v : s) sum += v;
        if (sum == 0) return 0;
        double h = 0;
        for (float v : s) {
            if (v > 0) {
                double p = v / sum;
                h -= p * Math.log(p);
            }
        }
        return Math.exp(h);
    }

    /**
     * Parameters saved by replacing a rows x cols matrix with a rank-r pair (rows x r and r x cols):
     * rows*cols - r*(rows+cols); negative when the pair is larger than the matrix.
     */
    public static long parameterSaving(int rows, int cols, int r) {
        if (r < 0) throw new IllegalArgumentException("negative rank " + r);
        return (long) rows * cols - (long) r * (rows + cols);
    }

    /** The largest rank at which a factored pair is strictly smaller than the matrix (383 for 768 x 768). */
    public static int breakEvenRank(int rows, int cols) {
        long r = (long) rows * cols / (rows + cols);
        return (int) (parameterSaving(rows, cols, (int) r) > 0 ? r : r - 1);
    }
}
