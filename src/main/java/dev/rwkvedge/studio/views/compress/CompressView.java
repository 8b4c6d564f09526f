package dev.rwkvedge.studio.views.compress;

import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.studio.jobs.JobRunner;
import dev.rwkvedge.studio.jobs.LatestRequest;
import dev.rwkvedge.studio.session.CompressedModel;
import dev.rwkvedge.studio.session.ModelSession;
import dev.rwkvedge.studio.session.OpenModel;
import dev.rwkvedge.studio.views.ExportActions;
import dev.rwkvedge.studio.views.ShownTrigger;
import dev.rwkvedge.studio.views.StudioContext;
import dev.rwkvedge.studio.views.StudioView;
import dev.rwkvedge.studio.views.compress.export.ExportPanel;
import dev.rwkvedge.task.ProgressListener;
import java.util.List;
import java.util.Objects;
import javafx.application.Platform;
import javafx.animation.PauseTransition;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/**
 * Turn the compression knobs and watch size against quality: every change builds the compressed model in the
 * background (newest change wins), puts its point on the trade-off chart and hands it to the generation preview;
 * once the knobs rest for a moment, the slower task score follows.
 */
public final class CompressView implements StudioView {
    private static final Duration SETTLE = Duration.millis(1500);
    private static final int KEPT_MODELS = 6;

    private final ModelSession session;
    private final JobRunner jobs;
    private final RecipeForm form = new RecipeForm();
    private final RecipeFiles files;
    private final Figures figures = new Figures();
    private final ObservableList<TradeOffPoint> points = FXCollections.observableArrayList();
    private final TradeOffChart chart = new TradeOffChart(p -> form.load(p.recipe()));
    private final ComboBox<QualityMetric> metric = new ComboBox<>(FXCollections.observableArrayList(QualityMetric.values()));
    private final Button evaluate = new Button("Evaluate");
    private final Button sweep = new Button("Sweep rule");
    private final ProgressBar progress = new ProgressBar();
    private final Label progressText = new Label();
    private final ExportPanel export;
    private final BuiltModels built;
    private final LatestRequest<CompressionBench.Build> building;
    private final LatestRequest<TaskScore> scoring;
    private final PauseTransition settle = new PauseTransition(SETTLE);
    private final ReadOnlyObjectWrapper<TradeOffPoint> current = new ReadOnlyObjectWrapper<>(this, "current");
    private final ObjectProperty<CompressData> data = new SimpleObjectProperty<>(this, "data", CompressData.sample());
    private final BorderPane root = new BorderPane();
    private final ShownTrigger shown;
    /** A model is open but not compressed yet: the first build waits until the tab is shown. */
    private boolean pending;
    private CompressionBench bench;
    // the keys of the points, republished on every redraw for the sweep job to skip recipes already measured
    private volatile List<String> snapshotKeys = List.of();

    public CompressView(StudioContext ctx) {
        this.session = ctx.session();
        this.jobs = ctx.jobs();
        built = new BuiltModels(KEPT_MODELS, m -> m == session.compressed(), m -> jobs.runQuietly(m::close));
        building = new LatestRequest<>(jobs, "Compressing", this::built);
        building.setOnDiscarded(b -> jobs.runQuietly(b.model()::close));
        scoring = new LatestRequest<>(jobs, "Evaluating", this::scored);
        export = new ExportPanel(jobs, session.compressedProperty());
        files = new RecipeFiles(form);

        metric.setId("quality-metric");
        metric.setValue(QualityMetric.TOP1);
        metric.valueProperty().subscribe(this::redraw);
        sweep.setId("sweep");
        sweep.setTooltip(new Tooltip("Build the current recipe at a ladder of values of its rank rule; every one becomes "
                + "a point"));
        sweep.setOnAction(e -> sweep());
        evaluate.setId("evaluate");
        evaluate.setTooltip(new Tooltip("Measure the task score of the current recipe now"));
        evaluate.setOnAction(e -> scoreCurrent());
        evaluate.disableProperty().bind(current.isNull());
        settle.setOnFinished(e -> scoreCurrent());

        root.setLeft(knobColumn());
        root.setCenter(chartColumn());
        root.getStylesheets().add(Objects.requireNonNull(
                CompressView.class.getResource("/dev/rwkvedge/studio/compress.css")).toExternalForm());

        shown = new ShownTrigger(root, this::buildIfPending);
        form.recipeProperty().subscribe(this::recipeChanged);
        data.subscribe(d -> modelChanged(session.model()));
        session.modelProperty().subscribe(this::modelChanged);
    }

    private Node knobColumn() {
        Label title = new Label("Recipe");
        title.getStyleClass().add("section-title");
        Button exportButton = new Button("Export...");
        exportButton.setId("export");
        exportButton.getStyleClass().add("accent");
        exportButton.disableProperty().bind(session.compressedProperty().isNull());
        exportButton.setOnAction(e -> export.showIn(root.getScene() == null ? null : root.getScene().getWindow()));
        VBox side = new VBox(12, title, files.buttons(), form.node(), exportButton);
        side.setPadding(new Insets(16));
        side.setPrefWidth(330);
        ScrollPane scroll = new ScrollPane(side);
        scroll.setFitToWidth(true);
        scroll.setMinWidth(300);
        scroll.getStyleClass().add("edge-to-edge");
        return scroll;
    }

    private Node chartColumn() {
        ExportActions chartExport = new ExportActions(chart.node(), () -> chart.csv(points), "tradeoff");
        chartExport.installContextMenu();
        Label title = new Label("Size against quality");
        title.getStyleClass().add("section-title");
        // wraps rather than elides when narrow (1024x768, presenter mode): a truncated "Ev..." is no button to press
        HBox controls = new HBox(8, new Label("y:"), metric, sweep, evaluate, chartExport.buttons());
        controls.setAlignment(Pos.CENTER_LEFT);
        controls.setMinWidth(Region.USE_PREF_SIZE);
        title.setMinWidth(Region.USE_PREF_SIZE);
        FlowPane header = new FlowPane(24, 6, title, controls);
        header.setId("compress-header");
        header.setAlignment(Pos.CENTER_LEFT);
        Label hint = new Label("Each point is a configuration tried; the line is the Pareto front; the ringed point "
                + "is the current recipe. Click a point to restore its recipe.");
        hint.getStyleClass().add("muted");
        hint.setWrapText(true);
        hint.setMinHeight(Region.USE_PREF_SIZE);
        progress.setId("compress-progress");
        progress.setPrefWidth(160);
        progress.setVisible(false);
        progressText.setId("compress-status");
        progressText.getStyleClass().add("muted");
        HBox working = new HBox(8, progress, progressText);
        working.setAlignment(Pos.CENTER_LEFT);
        working.setMinHeight(22);
        VBox chartBox = new VBox(6, header, chart.node(), hint, working);
        VBox.setVgrow(chart.node(), Priority.ALWAYS);
        chartBox.getStyleClass().add("card");
        VBox.setVgrow(chartBox, Priority.ALWAYS);
        VBox center = new VBox(12, figures.node(), chartBox);
        center.setPadding(new Insets(16, 16, 16, 4));
        return center;
    }

    private void buildIfPending() {
        if (pending && bench != null) {
            pending = false;
            recipeChanged(form.recipe());
        }
    }

    private void modelChanged(OpenModel m) {
        pending = false;
        building.cancel();
        scoring.cancel();
        settle.stop();
        current.set(null);
        session.compressedProperty().set(null);
        built.clear();
        points.clear();
        figures.clear();
        redraw();
        bench = null;
        if (m == null) return;
        try {
            bench = new CompressionBench(m, data.get());
        } catch (IllegalStateException e) {
            figures.showProblem("Cannot compress: " + e.getMessage());
            return;
        }
        // compressing costs seconds: do it when someone looks at this tab, not for every model opened elsewhere
        pending = true;
        shown.request();
    }

    private void recipeChanged(Recipe r) {
        if (bench == null || r == null) return;
        String problem = bench.dataProblem();
        if (problem != null) {
            figures.showProblem(problem);
            return;
        }
        String key = r.toJson();
        settle.stop();
        scoring.cancel();
        CompressedModel cached = built.get(key);
        TradeOffPoint known = find(key);
        if (cached != null && known != null) {
            building.cancel();
            makeCurrent(known, cached);
            return;
        }
        figures.computing(known);
        Task<CompressionBench.Build> t = building.submit("Compressing: " + RecipeLabels.describe(r), p -> bench.build(r, p));
        progress.progressProperty().bind(t.progressProperty());
        progress.visibleProperty().bind(t.runningProperty());
        progressText.textProperty().bind(Bindings.when(t.runningProperty()).then(t.messageProperty()).otherwise(""));
    }

    private void built(CompressionBench.Build b) {
        TradeOffPoint p = b.point();
        TradeOffPoint earlier = find(p.key());
        // a task score measured on an earlier build of the same recipe still holds: compression is deterministic
        if (earlier != null && earlier.taskScore() != null) p = p.withTaskScore(earlier.taskScore());
        put(p);
        built.put(p.key(), b.model());
        if (p.key().equals(form.recipe().toJson())) makeCurrent(p, b.model());
        else redraw();
    }

    private void makeCurrent(TradeOffPoint p, CompressedModel m) {
        current.set(p);
        session.compressedProperty().set(m);
        built.trim();
        figures.show(p, bench.agreementTokens(), bench.heldOutPresent());
        redraw();
        if (p.taskScore() == null) {
            String problem = bench.taskProblem();
            if (problem != null) figures.showTaskProblem(problem);
            else settle.playFromStart();
        }
    }

    /** Measures the current recipe's task score (and the dense model's, once) in the background. */
    public void scoreCurrent() {
        settle.stop();
        TradeOffPoint p = current.get();
        CompressedModel m = session.compressed();
        if (p == null || m == null || bench == null) return;
        String problem = bench.taskProblem();
        if (problem != null) {
            figures.showTaskProblem(problem);
            return;
        }
        CompressionBench b = bench;
        figures.taskComputing();
        scoring.submit("Evaluating last-word accuracy", pr ->
                new TaskScore(b, p.key(), b.taskScore(m, pr), b.denseTaskScore(pr)));
    }

    /** A task score measured on one bench (the model it was measured on may have been replaced since). */
    private record TaskScore(CompressionBench bench, String key, double compressed, double dense) {}

    private void scored(TaskScore s) {
        TradeOffPoint p = find(s.key());
        if (s.bench() != bench || p == null) return;
        TradeOffPoint scored = p.withTaskScore(s.compressed());
        put(scored);
        if (current.get() != null && current.get().key().equals(s.key())) {
            current.set(scored);
            figures.showTask(s.compressed(), s.dense(), bench.data().taskItems());
        }
        redraw();
    }

    /**
     * Builds and measures the current recipe along its rank rule in one background job; each point appears as it is
     * measured. The models are not kept (a point clicked later is rebuilt), so a sweep costs no memory.
     */
    public Task<Integer> sweep() {
        if (bench == null || form.recipe() == null || bench.dataProblem() != null) return null;
        CompressionBench b = bench;
        List<Recipe> recipes = RuleSweep.of(form.recipe());
        Task<Integer> t = jobs.submit("Sweeping " + recipes.size() + " recipes", pr -> {
            int n = 0;
            for (Recipe r : recipes) {
                pr.checkCancelled();
                pr.update(n, recipes.size(), "Sweep: " + RecipeLabels.describe(r));
                if (snapshotKeys.contains(r.toJson())) continue;
                // the sweep's own bar counts recipes; the builds only need to see a cancel
                CompressionBench.Build built = b.build(r, new ProgressListener() {
                    @Override
                    public void update(long done, long total, String message) {}

                    @Override
                    public boolean isCancelled() {
                        return pr.isCancelled();
                    }
                });
                built.model().close();
                Platform.runLater(() -> {
                    if (b != bench || find(built.point().key()) != null) return;
                    put(built.point());
                    redraw();
                });
                n++;
            }
            return n;
        }, n -> {});
        sweep.disableProperty().bind(t.runningProperty());
        return t;
    }

    private TradeOffPoint find(String key) {
        return points.stream().filter(p -> p.key().equals(key)).findFirst().orElse(null);
    }

    private void put(TradeOffPoint p) {
        for (int i = 0; i < points.size(); i++) {
            if (points.get(i).key().equals(p.key())) {
                points.set(i, p);
                return;
            }
        }
        points.add(p);
    }

    private void redraw() {
        snapshotKeys = points.stream().map(TradeOffPoint::key).toList();
        TradeOffPoint c = current.get();
        chart.show(points, c == null ? null : c.key(), metric.getValue());
    }

    /** Every configuration tried on this model, in the order tried. */
    public ObservableList<TradeOffPoint> points() {
        return FXCollections.unmodifiableObservableList(points);
    }

    /** The point of the recipe in the knobs, once built. */
    public ReadOnlyObjectProperty<TradeOffPoint> currentProperty() {
        return current.getReadOnlyProperty();
    }

    public Recipe recipe() {
        return form.recipe();
    }

    /** Puts a recipe in the knobs, as loading a file does. */
    public void load(Recipe r) {
        form.load(r);
    }

    /** The text the view calibrates and measures with; changing it starts over on the open model. */
    public ObjectProperty<CompressData> dataProperty() {
        return data;
    }

    public TradeOffChart chart() {
        return chart;
    }

    public ExportPanel exportPanel() {
        return export;
    }

    public QualityMetric metric() {
        return metric.getValue();
    }

    @Override
    public String id() {
        return "compress";
    }

    @Override
    public String title() {
        return "Compress";
    }

    @Override
    public Node root() {
        return root;
    }
}
