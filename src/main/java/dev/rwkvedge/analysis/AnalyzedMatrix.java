package dev.rwkvedge.analysis;

/** One matrix's spectrum with the metrics derived from it. */
public record AnalyzedMatrix(Spectrum spectrum, SpectrumMetrics metrics) {

    public static AnalyzedMatrix of(Spectrum s) {
        return new AnalyzedMatrix(s, SpectrumMetrics.of(s));
    }

    public String key() {
        return spectrum.key();
    }

    /** Parameters saved by a rank-r factorisation of this matrix (see {@link SpectrumMetrics#parameterSaving}). */
    public long parameterSaving(int r) {
        return SpectrumMetrics.parameterSaving(spectrum.rows(), spectrum.cols(), r);
    }

    public double energyAt(int r) {
        return SpectrumMetrics.energyAt(spectrum.values(), r);
    }
}
