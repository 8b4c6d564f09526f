package dev.rwkvedge.studio.views.sparsity;

import dev.rwkvedge.compress.sparse.PredictorKind;
import dev.rwkvedge.compress.sparse.PredictorReport;
import dev.rwkvedge.studio.session.ModelSession;
import dev.rwkvedge.studio.session.OpenModel;
import dev.rwkvedge.studio.ui.Formats;
import dev.rwkvedge.studio.views.ExportActions;
import dev.rwkvedge.studio.views.StudioContext;
import dev.rwkvedge.studio.views.StudioView;
import dev.rwkvedge.studio.views.spectra.AnalysisJob;
import dev.rwkvedge.studio.views.spectra.AnalysisPage;
import dev.rwkvedge.studio.views.ShownTrigger;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/**
 * How sparse the channel mixes are and how well a predictor finds the active neurons: per-layer sparsity, the
 * selected layer's firing-frequency histogram, and its predictor's recall and predicted sparsity against the
 * threshold, with the threshold on a slider that reads the measured sweep (nothing is retrained).
 */
public final class SparsityView implements StudioView {
    private record SparsityRun(OpenModel model, SparsityProfile profile, long nanos) {}

    private final ModelSession session;
    private final SparsityModel model = new SparsityModel();
    private final ComboBox<PredictorKind> kind = new ComboBox<>();
    private final Label calibrationName = new Label();
    private final Button chooseCalibration = new Button("Calibration text…");
    private final Button profile = new Button("Profile");
    private final Label status = new Label();
    private final LayerSparsityChart layers = new LayerSparsityChart(l -> model.layer().set(l));
    private final ComboBox<Integer> layer = new ComboBox<>();
    private final FiringHistogram histogram = new FiringHistogram();
    private final ThresholdChart thresholds = new ThresholdChart();
    private final Slider threshold = new Slider(0, 1, 0.7);
    private final Label readout = new Label();
    private final AnalysisJob<SparsityRun> job;
    private final ShownTrigger shown;
    private final ScrollPane root;
    private boolean calibrationChosen;
    private OpenModel analysed;

    public SparsityView(StudioContext ctx) {
        this.session = ctx.session();
        this.job = new AnalysisJob<>(ctx.jobs(), "Sparsity", model.status(), "Cancelled: press Profile to run it again",
                this::finished);
        kind.setId("predictor-kind");
        kind.getItems().setAll(PredictorKind.MLP, PredictorKind.ONE_BIT);
        kind.valueProperty().bindBidirectional(model.kind());
        calibrationName.setId("calibration-file");
        calibrationName.getStyleClass().add("muted");
        calibrationName.textProperty().bind(Bindings.createStringBinding(() -> model.calibration().get() == null
                ? "no calibration text" : model.calibration().get().getFileName().toString(), model.calibration()));
        chooseCalibration.setOnAction(e -> chooseCalibration());
        profile.setId("profile-sparsity");
        profile.getStyleClass().add("accent");
        profile.setOnAction(e -> profile());
        profile.disableProperty().bind(session.modelProperty().isNull().or(job.running().isNotNull()));
        status.setId("sparsity-status");
        status.getStyleClass().add("muted");
        status.setWrapText(true);
        status.textProperty().bind(model.status());
        layer.setId("sparsity-layer");
        layer.valueProperty().addListener((o, was, l) -> {
            if (l != null) model.layer().set(l);
        });
        threshold.setId("threshold-slider");
        threshold.setMajorTickUnit(0.1);
        threshold.setMinorTickCount(1);
        threshold.setSnapToTicks(true);
        threshold.setBlockIncrement(SparsityAnalysis.STEP);
        threshold.setShowTickMarks(true);
        threshold.valueProperty().bindBidirectional(model.threshold());
        readout.setId("threshold-readout");
        readout.getStyleClass().add("rank-readout");
        readout.setWrapText(true);
        readout.setMinHeight(Region.USE_PREF_SIZE);

        model.profile().subscribe(this::showProfile);
        model.layer().subscribe(l -> showLayer());
        model.threshold().subscribe(t -> thresholds.mark(t.doubleValue()));
        readout.textProperty().bind(Bindings.createStringBinding(this::describeThreshold, model.point()));
        model.kind().subscribe((was, now) -> {
            if (session.model() != null && analysed != null) profile();
        });

        root = AnalysisPage.scrolling(layout());
        shown = new ShownTrigger(root, this::profileIfNeeded);
        session.modelProperty().subscribe(this::modelChanged);
    }

    private Node layout() {
        HBox header = AnalysisPage.header("Sparsity", new Node[0], calibrationName, chooseCalibration,
                new Label("Predictor"), kind, profile);
        VBox layersCard = AnalysisPage.card("Sparsity per layer",
                new ExportActions(layers.node(), layers::data, "channel-mix-sparsity"), layers.node());
        HBox layerRow = new HBox(8, new Label("Layer"), layer);
        layerRow.setAlignment(Pos.CENTER_LEFT);
        VBox histogramCard = AnalysisPage.card("Neuron firing frequency",
                new ExportActions(histogram.node(), histogram::data, "firing-frequency"), layerRow, histogram.node());
        VBox.setVgrow(layers.node(), Priority.ALWAYS);
        VBox.setVgrow(histogram.node(), Priority.ALWAYS);
        VBox.setVgrow(layersCard, Priority.ALWAYS);
        VBox.setVgrow(histogramCard, Priority.ALWAYS);
        VBox left = new VBox(12, layersCard, histogramCard);
        left.setPrefWidth(440);
        left.setMinWidth(420);

        HBox sliderRow = new HBox(8, new Label("Threshold"), threshold);
        sliderRow.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(threshold, Priority.ALWAYS);
        VBox thresholdCard = AnalysisPage.card("Predictor: recall and sparsity by threshold",
                new ExportActions(thresholds.node(), thresholds::data, "threshold-sweep"), thresholds.node(), sliderRow,
                readout);
        VBox.setVgrow(thresholds.node(), Priority.ALWAYS);
        HBox.setHgrow(thresholdCard, Priority.ALWAYS);
        thresholdCard.setMinWidth(360);

        HBox panels = new HBox(12, left, thresholdCard);
        VBox.setVgrow(panels, Priority.ALWAYS);
        VBox content = new VBox(8, header, status, panels);
        content.setPadding(new Insets(16));
        return content;
    }

    private void showProfile(SparsityProfile p) {
        layers.show(p == null ? null : p.layers());
        int n = p == null ? 0 : p.layers().size();
        layer.getItems().setAll(IntStream.range(0, n).boxed().collect(Collectors.toList()));
        showLayer();
    }

    private void showLayer() {
        SparsityProfile p = model.profile().get();
        int l = model.layer().get();
        boolean has = p != null && l < p.layers().size();
        histogram.show(has ? p.layers().get(l) : null);
        thresholds.show(has ? p.sweeps().get(l) : null, has ? p.kind() : model.kind().get(), l);
        thresholds.mark(model.threshold().get());
        if (has && !Integer.valueOf(l).equals(layer.getValue())) layer.setValue(l);
    }

    private String describeThreshold() {
        PredictorReport.SweepPoint pt = model.point().get();
        SparsityProfile p = model.profile().get();
        if (pt == null || p == null) return "";
        int l = model.layer().get();
        return String.format(Locale.ROOT, "Layer %d at threshold %.2f: recall %s, predicted sparsity %s, precision %s "
                        + "(true sparsity %s on held-out tokens)", l, pt.threshold(), Formats.percent(pt.recall()),
                Formats.percent(pt.predictedSparsity()), Formats.percent(pt.precision()),
                Formats.percent(p.reports().get(l).trueSparsity()));
    }

    private void modelChanged(OpenModel m) {
        job.cancel();
        analysed = null;
        model.show(null);
        if (m != null && !calibrationChosen) {
            model.calibration().set(CalibrationText.find(m.path()).orElse(null));
        }
        model.status().set(m == null ? "No model open" : "Not profiled yet");
        if (m != null) shown.request();
    }

    private void profileIfNeeded() {
        OpenModel m = session.model();
        if (m != null && analysed != m && !job.isRunning()) profile();
    }

    /** Profiles the open model on the calibration text and trains its predictors, in the background. */
    public void profile() {
        OpenModel m = session.model();
        if (m == null) return;
        analysed = m;
        Path cal = model.calibration().get();
        if (m.tokenizer().isEmpty()) {
            model.status().set("Cannot read calibration text: " + m.tokenizerProblem().orElse("no tokenizer"));
            return;
        }
        if (cal == null || !Files.isRegularFile(cal)) {
            model.status().set("No calibration text found (looked for " + CalibrationText.candidates(m.path()).stream()
                    .map(Path::toString).collect(Collectors.joining(", ")) + "). Choose a text file.");
            return;
        }
        PredictorKind k = model.kind().get();
        var tokenizer = m.tokenizer().get();
        model.status().set("Profiling on " + cal.getFileName() + " and training " + k + " predictors…");
        long started = System.nanoTime();
        job.submit("Sparsity of " + m.summary().file(), progress -> new SparsityRun(m,
                SparsityAnalysis.run(m.path(), cal, tokenizer, k, progress), System.nanoTime() - started));
    }

    private void finished(SparsityRun run) {
        if (run.model() != session.model()) return;
        model.show(run.profile());
        model.status().set(String.format(Locale.ROOT, "%s tokens of %s, %s predictors, %.1f s",
                Formats.grouped(run.profile().tokens()), run.profile().calibration().getFileName(), run.profile().kind(),
                run.nanos() / 1e9));
    }

    private void chooseCalibration() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Calibration text");
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Text", "*.txt"),
                new FileChooser.ExtensionFilter("All files", "*"));
        Path now = model.calibration().get();
        if (now != null && Files.isDirectory(now.getParent())) fc.setInitialDirectory(now.getParent().toFile());
        File f = fc.showOpenDialog(root.getScene().getWindow());
        if (f != null) {
            setCalibration(f.toPath());
            profile();
        }
    }

    /** Uses this text from now on, for every model (until the studio restarts). */
    public void setCalibration(Path file) {
        calibrationChosen = true;
        model.calibration().set(file);
    }

    public SparsityModel model() {
        return model;
    }

    /** The job in progress, or null. */
    public ReadOnlyObjectProperty<? extends Task<?>> runningProperty() {
        return job.running();
    }

    /** The per-layer sparsity bars as fractions, for tests. */
    public double[] shownSparsity() {
        return layers.shown();
    }

    public double thresholdMarker() {
        return thresholds.markerValue();
    }

    @Override
    public String id() {
        return "sparsity";
    }

    @Override
    public String title() {
        return "Sparsity";
    }

    @Override
    public Node root() {
        return root;
    }
}
