package dev.rwkvedge.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Metrics against closed forms worked out by hand, and the power-law fit against samples of a known law. */
class SpectrumMetricsTest {
    private static final float[] S = {4, 3, 2, 1};

    @Test
    void energyAndRanksOfKnownValues() {
        // squares 16, 9, 4, 1: total 30
        assertEquals(16.0 / 30, SpectrumMetrics.energyAt(S, 1), 1e-12);
        assertEquals(25.0 / 30, SpectrumMetrics.energyAt(S, 2), 1e-12);
        assertEquals(29.0 / 30, SpectrumMetrics.energyAt(S, 3), 1e-12);
        assertEquals(1.0, SpectrumMetrics.energyAt(S, 4), 1e-12);
        assertEquals(0.0, SpectrumMetrics.energyAt(S, 0), 1e-12);
        SpectrumMetrics m = SpectrumMetrics.of(S);
        assertEquals(3, m.rank90()); // 25/30 = 0.833 < 0.9 <= 29/30
        assertEquals(3, m.rank95()); // 29/30 = 0.967
        assertEquals(4, m.rank99());
        assertEquals(30.0 / 16, m.stableRank(), 1e-12);
        assertEquals(4.0, m.spectralNorm(), 0);
        assertEquals(30.0, m.frobeniusSquared(), 1e-12);
        // p = 0.4, 0.3, 0.2, 0.1: H = 1.279854 nats (by hand), exp(H) = 3.59611
        assertEquals(3.59611, m.effectiveRank(), 1e-5);
        double[] curve = SpectrumMetrics.energyCurve(S);
        assertEquals(5, curve.length);
        assertEquals(29.0 / 30, curve[3], 1e-12);
    }

    @Test
    void effectiveRankOfEqualValuesIsTheirCount() {
        assertEquals(7.0, SpectrumMetrics.effectiveRank(new float[] {2, 2, 2, 2, 2, 2, 2}), 1e-9);
        assertEquals(1.0, SpectrumMetrics.effectiveRank(new float[] {5, 0, 0}), 1e-12);
    }

    @Test
    void zeroMatrixHasNoRank() {
        SpectrumMetrics m = SpectrumMetrics.of(new float[] {0, 0, 0});
        assertEquals(0, m.rank99());
        assertEquals(0.0, m.stableRank());
        assertEquals(0.0, m.effectiveRank());
        assertFalse(m.powerLaw().fitted());
    }

    @Test
    void parameterSavingOfALowRankPair() {
        assertEquals(768L * 768 - 96L * (768 + 768), SpectrumMetrics.parameterSaving(768, 768, 96));
        assertEquals(442_368L, SpectrumMetrics.parameterSaving(768, 768, 96));
        assertEquals(3072L * 768 - 100L * 3840, SpectrumMetrics.parameterSaving(3072, 768, 100));
        assertEquals(0L, SpectrumMetrics.parameterSaving(768, 768, 384));
        assertEquals(383, SpectrumMetrics.breakEvenRank(768, 768));
        assertTrue(SpectrumMetrics.parameterSaving(10, 10, 6) < 0);
    }

    @Test
    void powerLawAlphaOfParetoSamples() {
        // inverse-CDF draws from p(x) = (alpha-1)/xmin (x/xmin)^-alpha, x >= xmin
        double alphaTrue = 3.0, xmin = 2.0;
        double[] x = pareto(4000, alphaTrue, xmin, 11);
        PowerLawFit fit = PowerLawFit.fit(x);
        // the MLE's standard error is (alpha-1)/sqrt(n) = 0.03 here; the xmin search widens it a little
        assertEquals(alphaTrue, fit.alpha(), 0.15);
        assertTrue(fit.xmin() >= xmin && fit.xmin() < 2 * xmin, "xmin " + fit.xmin());
        assertTrue(fit.ksDistance() < 0.05, "KS " + fit.ksDistance());
    }

    @Test
    void xminSearchSkipsABodyThatIsNotAPowerLaw() {
        // a uniform body below 1 and a Pareto(2.5) tail from 1: the KS rule must put xmin near 1
        double[] tail = pareto(3000, 2.5, 1.0, 12);
        SplittableRandom r = new SplittableRandom(13);
        double[] x = new double[tail.length + 2000];
        System.arraycopy(tail, 0, x, 0, tail.length);
        for (int i = tail.length; i < x.length; i++) x[i] = 0.05 + 0.9 * r.nextDouble();
        PowerLawFit fit = PowerLawFit.fit(x);
        assertEquals(2.5, fit.alpha(), 0.15);
        assertTrue(fit.xmin() > 0.85 && fit.xmin() < 1.6, "xmin " + fit.xmin());
    }

    @Test
    void singularValuesAreSquaredBeforeTheFit() {
        double[] lambda = pareto(2000, 3.0, 1.0, 14);
        float[] s = new float[lambda.length];
        for (int i = 0; i < s.length; i++) s[i] = (float) Math.sqrt(lambda[i]);
        assertEquals(PowerLawFit.fit(lambda).alpha(), PowerLawFit.ofSingularValues(s).alpha(), 1e-3);
    }

    @Test
    void tooFewValuesAreNotFitted() {
        assertFalse(PowerLawFit.fit(new double[] {1, 2, 3, 0, 0, 0}).fitted());
    }

    private static double[] pareto(int n, double alpha, double xmin, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = xmin * Math.pow(1 - r.nextDouble(), -1 / (alpha - 1));
        return x;
    }
}
