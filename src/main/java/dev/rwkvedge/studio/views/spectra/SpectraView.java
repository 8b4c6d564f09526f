package dev.rwkvedge.studio.views.spectra;

import dev.rwkvedge.analysis.AnalysisCache;
import dev.rwkvedge.analysis.AnalyzedMatrix;
import dev.rwkvedge.studio.session.ModelSession;
import dev.rwkvedge.studio.session.OpenModel;
import dev.rwkvedge.studio.ui.Formats;
import dev.rwkvedge.studio.views.ExportActions;
import dev.rwkvedge.studio.views.ShownTrigger;
import dev.rwkvedge.studio.views.StudioContext;
import dev.rwkvedge.studio.views.StudioView;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * How compressible each weight matrix is: a layer-by-matrix heat map of a spectral metric, and for the selected
 * matrix its singular values and the energy a rank keeps, with the rank on a slider. The analysis runs in the
 * background when the tab is first shown for a model (from the analysis cache when it was computed before).
 */
public final class SpectraView implements StudioView {
    private final ModelSession session;
    private final SpectraModel model = new SpectraModel();
    private final ComboBox<HeatMetric> metric = new ComboBox<>();
    private final CheckBox embeddings = new CheckBox("Include emb and head");
    private final Button compute = new Button("Compute spectra");
    private final Label status = new Label();
    private final MatrixHeatMap heatMap = new MatrixHeatMap(model::select);
    private final MatrixTable table = new MatrixTable();
    private final SingularValueChart values = new SingularValueChart();
    private final EnergyChart energy = new EnergyChart();
    private final Slider rank = new Slider(0, 1, 0);
    private final Label readout = new Label();
    private final AnalysisJob<SpectraRun> job;
    private final ShownTrigger shown;
    private final ScrollPane root;
    private AnalysisCache cache = AnalysisCache.atDefaultLocation();
    private OpenModel analysed;

    public SpectraView(StudioContext ctx) {
        this.session = ctx.session();
        this.job = new AnalysisJob<>(ctx.jobs(), "Spectra", model.status(),
                "Cancelled: press Compute spectra to run it again", this::finished);
        metric.setId("heat-metric");
        metric.getItems().setAll(HeatMetric.values());
        metric.valueProperty().bindBidirectional(model.metric());
        embeddings.setId("include-embeddings");
        embeddings.setTooltip(new javafx.scene.control.Tooltip(
                "emb.weight and head.weight: the largest matrices, so the slowest"));
        compute.setId("compute-spectra");
        compute.setOnAction(e -> compute());
        compute.disableProperty().bind(session.modelProperty().isNull().or(job.running().isNotNull()));
        status.setId("spectra-status");
        status.getStyleClass().add("muted");
        status.textProperty().bind(model.status());
        rank.setId("rank-slider");
        rank.setBlockIncrement(1);
        readout.setId("rank-readout");
        readout.getStyleClass().add("rank-readout");
        readout.setWrapText(true);
        readout.setMinHeight(Region.USE_PREF_SIZE);

        model.spectra().subscribe(s -> {
            heatMap.show(s, model.metric().get());
            table.show(s);
        });
        model.metric().subscribe(m -> heatMap.show(model.spectra().get(), m));
        model.selected().subscribe(this::selected);
        model.rank().subscribe(r -> {
            if (Math.round(rank.getValue()) != r.intValue()) rank.setValue(r.intValue());
            markRank();
        });
        rank.valueProperty().addListener((o, was, v) -> model.rank().set((int) Math.round(v.doubleValue())));
        table.node().getSelectionModel().selectedItemProperty().subscribe(a -> {
            if (a != null) model.select(a);
        });
        readout.textProperty().bind(Bindings.createStringBinding(this::describeRank, model.selected(), model.rank()));

        root = AnalysisPage.scrolling(layout());
        shown = new ShownTrigger(root, this::computeIfNeeded);
        session.modelProperty().subscribe(this::modelChanged);
    }

    private Node layout() {
        HBox header = AnalysisPage.header("Spectra", new Node[] {status},
                new Label("Colour by"), metric, embeddings, compute);
        VBox heatCard = AnalysisPage.card("Layer × matrix",
                new ExportActions(heatMap.node(), heatMap::data, "spectra-heatmap"), heatMap.node());
        VBox tableCard = AnalysisPage.card("Every analysed matrix",
                new ExportActions(table.node(), table::data, "spectra-metrics"), table.node());
        VBox.setVgrow(table.node(), Priority.ALWAYS);
        // the heat map of a 24-layer model and the table do not both fit a projector's height: one at a time
        TabPane left = new TabPane(new Tab("Heat map", heatCard), new Tab("Table", tableCard));
        left.setId("spectra-left");
        left.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        left.setPrefWidth(470);
        left.setMinWidth(380);

        VBox valuesCard = AnalysisPage.card("Singular values (log scale)",
                new ExportActions(values.node(), values::data, "singular-values"), values.node());
        VBox.setVgrow(values.node(), Priority.ALWAYS);
        Button useRank = new Button("Use in Compress");
        useRank.setId("use-rank-in-compress");
        useRank.getStyleClass().addAll("small", "flat");
        useRank.setTooltip(new javafx.scene.control.Tooltip("Set this rank as the recipe's override for this matrix"));
        useRank.disableProperty().bind(Bindings.createBooleanBinding(
                () -> model.selected().get() == null || model.selected().get().spectrum().layer() < 0, model.selected()));
        useRank.setOnAction(e -> useRank.fireEvent(new dev.rwkvedge.studio.views.compress.RankOverrideEvent(
                dev.rwkvedge.studio.views.compress.RankOverrideEvent.matrixName(
                        model.selected().get().spectrum().layer(), model.selected().get().spectrum().name()),
                Math.max(1, model.rank().get()))));
        HBox rankRow = new HBox(8, new Label("Rank"), rank, useRank);
        rankRow.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(rank, Priority.ALWAYS);
        VBox energyCard = AnalysisPage.card("Energy kept by rank",
                new ExportActions(energy.node(), energy::data, "energy-curve"), energy.node(), rankRow, readout);
        VBox.setVgrow(energy.node(), Priority.ALWAYS);
        VBox.setVgrow(valuesCard, Priority.ALWAYS);
        VBox.setVgrow(energyCard, Priority.ALWAYS);
        VBox right = new VBox(12, valuesCard, energyCard);
        HBox.setHgrow(right, Priority.ALWAYS);
        right.setMinWidth(360);

        HBox panels = new HBox(12, left, right);
        VBox.setVgrow(panels, Priority.ALWAYS);
        VBox content = new VBox(12, header, panels);
        content.setPadding(new Insets(16));
        return content;
    }

    private void selected(AnalyzedMatrix m) {
        rank.setMax(Math.max(1, model.maxRank()));
        rank.setMajorTickUnit(Math.max(1, model.maxRank() / 4.0));
        values.show(m);
        energy.show(m);
        // the new matrix may start at the same rank as the old one: the rank listener would not redraw the markers
        markRank();
        heatMap.select(m);
        table.select(m);
    }

    private void markRank() {
        int r = model.rank().get();
        values.markRank(r);
        energy.markRank(r, model.energyKept().get());
    }

    private String describeRank() {
        AnalyzedMatrix m = model.selected().get();
        if (m == null) return "Select a matrix in the heat map or the table.";
        int r = model.rank().get();
        long saved = model.parametersSaved().get();
        long all = (long) m.spectrum().rows() * m.spectrum().cols();
        String params = saved >= 0
                ? "saves " + Formats.count(saved) + " of " + Formats.count(all) + " parameters ("
                        + Formats.percent((double) saved / all) + ")"
                : "costs " + Formats.count(-saved) + " more parameters than the matrix (break-even rank "
                        + model.breakEvenRank() + ")";
        return String.format(Locale.ROOT, "%s at rank %d of %d: keeps %s of the energy, %s", m.key(), r,
                m.spectrum().size(), Formats.percent(model.energyKept().get()), params);
    }

    private void modelChanged(OpenModel m) {
        job.cancel();
        analysed = null;
        model.show(null);
        model.status().set(m == null ? "No model open" : "Not computed yet");
        if (m != null) shown.request();
    }

    private void computeIfNeeded() {
        OpenModel m = session.model();
        if (m != null && analysed != m && !job.isRunning()) compute();
    }

    /** Runs the analysis of the open model in the background (instant when cached). */
    public void compute() {
        OpenModel m = session.model();
        if (m == null) return;
        boolean emb = embeddings.isSelected();
        AnalysisCache c = cache;
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        analysed = m;
        model.status().set("Computing spectra…");
        long started = System.nanoTime();
        // under the engine lock: closing the model waits until no analysis reads its checkpoint
        job.submit("Spectra of " + m.summary().file(), progress -> m.withEngine(() -> new SpectraRun(m,
                c.spectra(m.loaded().checkpoint(), emb, threads, progress), System.nanoTime() - started)));
    }

    private void finished(SpectraRun run) {
        if (run.model() != session.model()) return;
        model.show(run.result().spectra());
        model.status().set(run.result().spectra().matrices().size() + " matrices, " + (run.result().fromCache()
                ? "from the cache" : String.format(Locale.ROOT, "computed in %.1f s", run.nanos() / 1e9)));
    }

    /** Where analyses are kept; tests use a folder of their own. Set before the analysis starts. */
    public void setCache(AnalysisCache cache) {
        this.cache = cache;
    }

    public CheckBox includeEmbeddings() {
        return embeddings;
    }

    public SpectraModel model() {
        return model;
    }

    /** The job in progress, or null. */
    public ReadOnlyObjectProperty<Task<SpectraRun>> runningProperty() {
        return job.running();
    }

    /** The heat map's cells (one per block matrix), for tests. */
    public java.util.List<Label> heatCells() {
        return heatMap.cells();
    }

    public double[] plottedSingularValues() {
        return values.plotted();
    }

    public double singularValueMarker() {
        return values.markerValue();
    }

    public double energyMarkerRank() {
        return energy.markerRank();
    }

    public double energyMarkerValue() {
        return energy.markerEnergy();
    }

    @Override
    public String id() {
        return "spectra";
    }

    @Override
    public String title() {
        return "Spectra";
    }

    @Override
    public Node root() {
        return root;
    }
}
