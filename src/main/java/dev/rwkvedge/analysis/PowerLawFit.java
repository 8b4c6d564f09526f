package dev.rwkvedge.analysis;

import java.util.Arrays;

/**
 * A power law p(x) ~ x^-alpha fitted to the tail of a sample, the way WeightWatcher fits the eigenvalue density of
 * W^T W (eigenvalues lambda_i = s_i^2 of the weight's singular values).
 *
 * <p>Estimator: the continuous maximum-likelihood estimate of Clauset, Shalizi and Newman (2009, eq. 3.1),
 * {@code alpha = 1 + n / sum_{x_i >= xmin} ln(x_i / xmin)}, over the n sample values at or above xmin.
 *
 * <p>xmin rule: every distinct sample value is a candidate (smallest first) as long as at least {@link #MIN_TAIL}
 * values lie at or above it; the candidate whose fitted law has the smallest Kolmogorov-Smirnov distance
 * {@code D = max |S(x) - P(x)|} between the tail's empirical CDF S and the fitted CDF
 * {@code P(x) = 1 - (x / xmin)^(1 - alpha)} wins (Clauset et al. section 3.3; the default of the powerlaw package and
 * WeightWatcher). Non-positive and non-finite values are dropped first: numerically-zero eigenvalues of a
 * rank-deficient matrix are not part of its spectral density. With fewer than {@link #MIN_TAIL} usable values the
 * fit is {@link #none} (alpha NaN).
 *
 * <p>Scale does not matter: WeightWatcher normalises W^T W by N, which moves every lambda by the same factor and
 * leaves alpha and the KS distance unchanged.
 *
 * @param alpha     the fitted exponent, NaN when there was nothing to fit
 * @param xmin      the chosen lower bound of the tail
 * @param tail      how many values lie at or above xmin
 * @param ksDistance the KS distance of the chosen fit
 */
public record PowerLawFit(double alpha, double xmin, int tail, double ksDistance) {
    /** The smallest tail that is fitted; below it the MLE is mostly noise. */
    public static final int MIN_TAIL = 5;

    public static final String ESTIMATOR = "continuous power-law MLE alpha = 1 + n / sum ln(lambda_i / lambda_min) "
            + "(Clauset, Shalizi, Newman 2009) on the eigenvalues lambda_i = s_i^2 of W^T W; lambda_min (xmin) is "
            + "the distinct eigenvalue, with at least " + MIN_TAIL + " eigenvalues at or above it, that minimises "
            + "the Kolmogorov-Smirnov distance between the tail and the fitted law (as WeightWatcher and powerlaw)";

    public static PowerLawFit none() {
        return new PowerLawFit(Double.NaN, Double.NaN, 0, Double.NaN);
    }

    /** Fits the eigenvalues s_i^2 of W^T W for singular values s (any order). */
    public static PowerLawFit ofSingularValues(float[] s) {
        double[] lambda = new double[s.length];
        for (int i = 0; i < s.length; i++) lambda[i] = (double) s[i] * s[i];
        return fit(lambda);
    }

    /** Fits the sample (any order; not modified). */
    public static PowerLawFit fit(double[] sample) {
        double[] x = Arrays.stream(sample).filter(v -> v > 0 && Double.isFinite(v)).sorted().toArray();
        int n = x.length;
        if (n < MIN_TAIL) return none();
        // suffix sums of ln x make each candidate's MLE O(1); the KS scan is O(tail), so the whole search is O(n^2)
        double[] lnSuffix = new double[n + 1];
        for (int i = n - 1; i >= 0; i--) lnSuffix[i] = lnSuffix[i + 1] + Math.log(x[i]);
        PowerLawFit best = none();
        for (int start = 0; n - start >= MIN_TAIL; start++) {
            if (start > 0 && x[start] == x[start - 1]) continue;
            int tail = n - start;
            double xmin = x[start];
            double sumLn = lnSuffix[start] - tail * Math.log(xmin);
            if (sumLn <= 0) continue;
            double alpha = 1 + tail / sumLn;
            double d = ksDistance(x, start, xmin, alpha);
            if (Double.isNaN(best.ksDistance) || d < best.ksDistance) best = new PowerLawFit(alpha, xmin, tail, d);
        }
        return best;
    }

    private static double ksDistance(double[] x, int start, double xmin, double alpha) {
        int tail = x.length - start;
        double d = 0;
        for (int i = start; i < x.length; i++) {
            double model = 1 - Math.pow(x[i] / xmin, 1 - alpha);
            // the empirical CDF steps at each sample: compare with both sides of the step
            double below = (double) (i - start) / tail, above = (double) (i - start + 1) / tail;
            d = Math.max(d, Math.max(Math.abs(model - below), Math.abs(above - model)));
        }
        return d;
    }

    public boolean fitted() {
        return !Double.isNaN(alpha);
    }
}
