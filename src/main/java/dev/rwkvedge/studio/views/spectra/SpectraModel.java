package dev.rwkvedge.studio.views.spectra;

import dev.rwkvedge.analysis.AnalyzedMatrix;
import dev.rwkvedge.analysis.ModelSpectra;
import dev.rwkvedge.analysis.SpectrumMetrics;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.DoubleBinding;
import javafx.beans.binding.LongBinding;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * What the spectra view shows, as properties: the model's spectra, the colouring metric, the selected matrix and the
 * rank being considered for it, with the energy kept and parameters saved at that rank. FX thread only.
 */
public final class SpectraModel {
    private final ObjectProperty<ModelSpectra> spectra = new SimpleObjectProperty<>(this, "spectra");
    private final ObjectProperty<HeatMetric> metric = new SimpleObjectProperty<>(this, "metric", HeatMetric.STABLE_RANK);
    private final ObjectProperty<AnalyzedMatrix> selected = new SimpleObjectProperty<>(this, "selected");
    private final IntegerProperty rank = new SimpleIntegerProperty(this, "rank");
    private final StringProperty status = new SimpleStringProperty(this, "status", "No model open");
    private final DoubleBinding energyKept = Bindings.createDoubleBinding(
            () -> selected.get() == null ? Double.NaN : selected.get().energyAt(rank.get()), selected, rank);
    private final LongBinding parametersSaved = Bindings.createLongBinding(
            () -> selected.get() == null ? 0 : selected.get().parameterSaving(rank.get()), selected, rank);

    /**
     * Selects a matrix at the rank that keeps 95% of its energy, the usual first guess for a factorisation. The
     * selection changes before the rank, so a rank control can take the new matrix's range first.
     */
    public void select(AnalyzedMatrix m) {
        if (m == selected.get()) return;
        selected.set(m);
        rank.set(m == null ? 0 : m.metrics().rank95());
    }

    /** Shows a new analysis, keeping the selected matrix when the new one has it (a recompute with emb and head). */
    public void show(ModelSpectra s) {
        AnalyzedMatrix was = selected.get();
        spectra.set(s);
        if (s == null || s.matrices().isEmpty()) {
            select(null);
            return;
        }
        AnalyzedMatrix same = was == null ? null
                : s.find(was.spectrum().layer(), was.spectrum().name()).orElse(null);
        select(same != null ? same : firstBlockMatrix(s.matrices()));
    }

    private static AnalyzedMatrix firstBlockMatrix(List<AnalyzedMatrix> all) {
        return all.stream().filter(m -> m.spectrum().layer() >= 0).findFirst().orElse(all.getFirst());
    }

    /** The largest rank the selected matrix can take. */
    public int maxRank() {
        return selected.get() == null ? 0 : selected.get().spectrum().size();
    }

    /** The rank's energy share (SpectrumMetrics.energyAt) for the selected matrix; NaN without one. */
    public DoubleBinding energyKept() {
        return energyKept;
    }

    /** Parameters a rank-r pair saves over the selected matrix (negative past the break-even rank). */
    public LongBinding parametersSaved() {
        return parametersSaved;
    }

    public int breakEvenRank() {
        AnalyzedMatrix m = selected.get();
        return m == null ? 0 : SpectrumMetrics.breakEvenRank(m.spectrum().rows(), m.spectrum().cols());
    }

    public ObjectProperty<ModelSpectra> spectra() {
        return spectra;
    }

    public ObjectProperty<HeatMetric> metric() {
        return metric;
    }

    public ReadOnlyObjectProperty<AnalyzedMatrix> selected() {
        return selected;
    }

    public IntegerProperty rank() {
        return rank;
    }

    public StringProperty status() {
        return status;
    }
}
