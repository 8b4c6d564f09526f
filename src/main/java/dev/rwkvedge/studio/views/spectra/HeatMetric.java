package dev.rwkvedge.studio.views.spectra;

import dev.rwkvedge.analysis.AnalyzedMatrix;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The per-matrix numbers the heat map can colour by: each answers "how compressible is this matrix?" differently. */
public enum HeatMetric {
    STABLE_RANK("Stable rank", m -> m.metrics().stableRank()),
    ALPHA("Power-law alpha", m -> m.metrics().alpha()),
    RANK95("Rank at 95% energy", m -> m.metrics().rank95()),
    EFFECTIVE_RANK("Effective rank", m -> m.metrics().effectiveRank());

    public final String label;
    private final ToDoubleFunction<AnalyzedMatrix> value;

    HeatMetric(String label, ToDoubleFunction<AnalyzedMatrix> value) {
        this.label = label;
        this.value = value;
    }

    /** NaN when the metric does not exist for the matrix (alpha of a spectrum too short to fit). */
    public double of(AnalyzedMatrix m) {
        return value.applyAsDouble(m);
    }

    /** Short enough for a heat-map cell. */
    public String format(double v) {
        if (Double.isNaN(v)) return "–";
        if (this == RANK95) return Integer.toString((int) v);
        return String.format(Locale.ROOT, v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%.0f", v);
    }

    @Override
    public String toString() {
        return label;
    }
}
