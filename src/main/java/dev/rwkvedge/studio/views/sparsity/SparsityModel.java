package dev.rwkvedge.studio.views.sparsity;

import dev.rwkvedge.compress.sparse.PredictorKind;
import dev.rwkvedge.compress.sparse.PredictorReport;
import java.nio.file.Path;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * What the sparsity view shows, as properties: the inputs of the job (calibration text, predictor kind), its result,
 * the selected layer and the threshold under consideration, and the measured sweep point at that threshold. FX
 * thread only.
 */
public final class SparsityModel {
    private final ObjectProperty<Path> calibration = new SimpleObjectProperty<>(this, "calibration");
    private final ObjectProperty<PredictorKind> kind = new SimpleObjectProperty<>(this, "kind", PredictorKind.MLP);
    private final ObjectProperty<SparsityProfile> profile = new SimpleObjectProperty<>(this, "profile");
    private final IntegerProperty layer = new SimpleIntegerProperty(this, "layer");
    private final DoubleProperty threshold = new SimpleDoubleProperty(this, "threshold", 0.7);
    private final StringProperty status = new SimpleStringProperty(this, "status", "No model open");
    private final ObjectBinding<PredictorReport.SweepPoint> point = Bindings.createObjectBinding(() -> {
        SparsityProfile p = profile.get();
        return p == null || layer.get() >= p.sweeps().size() ? null : p.at(layer.get(), threshold.get());
    }, profile, layer, threshold);

    /** Shows a result at the threshold its predictors were built at, keeping the selected layer when it exists. */
    public void show(SparsityProfile p) {
        profile.set(p);
        if (p == null) return;
        layer.set(Math.min(layer.get(), p.layers().size() - 1));
        threshold.set(p.trainedThreshold());
    }

    public ObjectProperty<Path> calibration() {
        return calibration;
    }

    public ObjectProperty<PredictorKind> kind() {
        return kind;
    }

    public ObjectProperty<SparsityProfile> profile() {
        return profile;
    }

    public IntegerProperty layer() {
        return layer;
    }

    public DoubleProperty threshold() {
        return threshold;
    }

    public StringProperty status() {
        return status;
    }

    /** The selected layer's sweep point nearest the threshold; null without a result. */
    public ObjectBinding<PredictorReport.SweepPoint> point() {
        return point;
    }
}
