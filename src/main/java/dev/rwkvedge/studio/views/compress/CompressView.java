package dev.rwkvedge.studio.views.compress;

import dev.rwkvedge.compress.Compressor;
import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.io.AtomicFiles;
import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.studio.session.OpenModel;
import dev.rwkvedge.studio.ui.ErrorDialogs;
import dev.rwkvedge.studio.ui.Formats;
import dev.rwkvedge.studio.views.ExportActions;
import dev.rwkvedge.studio.views.ShownTrigger;
import dev.rwkvedge.studio.views.StudioContext;
import dev.rwkvedge.studio.views.StudioView;
import dev.rwkvedge.studio.views.compress.export.ExportPanel;
import dev.rwkvedge.studio.views.compress.model.RecipeDiff;
import dev.rwkvedge.studio.views.compress.model.SessionStore;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import javafx.animation.PauseTransition;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.util.Duration;

/**
 * Turn the compression knobs and watch size against quality. The view only binds: the state and the jobs are the
 * {@link CompressViewModel}'s. The knobs, the JSON pane, undo and redo, a clicked point and a loaded file all edit
 * the same recipe.
 */
public final class CompressView implements StudioView {
    private final CompressViewModel vm;
    private final dev.rwkvedge.studio.session.ModelSession session;
    private final RecipeForm form = new RecipeForm();
    private final Figures figures = new Figures();
    private final TradeOffChart chart;
    private final ComboBox<QualityMetric> metric = new ComboBox<>(FXCollections.observableArrayList(QualityMetric.values()));
    private final ComboBox<SizeAxis> axis = new ComboBox<>(FXCollections.observableArrayList(SizeAxis.values()));
    private final TextArea json = new TextArea();
    private final Label jsonProblem = new Label();
    private final PauseTransition jsonPause = new PauseTransition(Duration.millis(400));
    private final Label pinnedSummary = new Label();
    private final Label pinnedDiff = new Label();
    private final ProgressBar progress = new ProgressBar();
    private final Label progressText = new Label();
    private final ExportPanel export;
    private final FitPanel fitPanel;
    private final BorderPane root = new BorderPane();
    private final ShownTrigger shown;
    private final javafx.event.EventHandler<RankOverrideEvent> rankRequests = e -> {
        model().setRankOverride(e.matrix(), e.rank());
        e.consume();
    };
    // set while the view moves the form or the JSON pane to the view model's recipe, so that is not an edit
    private boolean syncing;

    public CompressView(StudioContext ctx) {
        session = ctx.session();
        vm = new CompressViewModel(ctx.session(), ctx.jobs());
        export = new ExportPanel(ctx.jobs(), ctx.session().compressedProperty());
        chart = new TradeOffChart(vm::pick, vm::pin);
        fitPanel = new FitPanel(vm.fit());

        metric.setId("quality-metric");
        metric.valueProperty().bindBidirectional(vm.metricProperty());
        axis.setId("size-axis");
        axis.valueProperty().bindBidirectional(vm.axisProperty());

        root.setLeft(knobColumn());
        root.setCenter(chartColumn());
        root.getStylesheets().add(Objects.requireNonNull(
                CompressView.class.getResource("/dev/rwkvedge/studio/compress.css")).toExternalForm());

        form.recipeProperty().addListener((o, was, now) -> {
            if (!syncing && now != null) vm.edit(now);
        });
        vm.recipeProperty().subscribe(this::showRecipe);
        json.textProperty().addListener((o, was, now) -> {
            if (!syncing) jsonPause.playFromStart();
        });
        jsonPause.setOnFinished(e -> applyJson());
        vm.currentProperty().subscribe(p -> refresh());
        vm.taskStatusProperty().subscribe(s -> refresh());
        vm.problemProperty().subscribe(s -> refresh());
        vm.points().addListener((ListChangeListener<TradeOffPoint>) c -> redraw());
        vm.pinned().addListener((ListChangeListener<TradeOffPoint>) c -> {
            redraw();
            showPinned();
        });
        vm.metricProperty().subscribe(m -> redraw());
        vm.axisProperty().subscribe(a -> redraw());
        vm.workingProperty().subscribe(this::track);
        ctx.session().modelProperty().subscribe(this::modelOpened);
        shown = new ShownTrigger(root, vm::activate);
        // Spectra asks for a matrix's rank through an event that bubbles to the scene
        root.sceneProperty().subscribe((was, now) -> {
            if (was != null) was.removeEventHandler(RankOverrideEvent.SET, rankRequests);
            if (now != null) now.addEventHandler(RankOverrideEvent.SET, rankRequests);
        });
    }

    private Node knobColumn() {
        Label title = new Label("Recipe");
        title.getStyleClass().add("section-title");
        RecipeFiles files = new RecipeFiles(vm::recipe, vm::edit, vm::reset);
        Button undo = new Button("Undo");
        undo.setId("recipe-undo");
        undo.disableProperty().bind(vm.history().canUndo().not());
        undo.setOnAction(e -> vm.undo());
        Button redo = new Button("Redo");
        redo.setId("recipe-redo");
        redo.disableProperty().bind(vm.history().canRedo().not());
        redo.setOnAction(e -> vm.redo());
        FlowPane buttons = new FlowPane(6, 6, files.buttons(), undo, redo);

        Label formProblem = new Label();
        formProblem.getStyleClass().add("muted");
        formProblem.setWrapText(true);
        formProblem.textProperty().bind(form.problemProperty());
        json.setId("recipe-json");
        json.setPrefRowCount(14);
        json.getStyleClass().add("pinned-pair");
        jsonProblem.setId("recipe-json-problem");
        jsonProblem.getStyleClass().add("muted");
        jsonProblem.setWrapText(true);
        TitledPane jsonPane = new TitledPane("Recipe JSON (editable)", new VBox(4, json, jsonProblem));
        jsonPane.setExpanded(false);

        Button exportButton = new Button("Export...");
        exportButton.setId("export");
        exportButton.getStyleClass().add("accent");
        exportButton.disableProperty().bind(session.compressedProperty().isNull());
        exportButton.setOnAction(e -> export.showIn(root.getScene() == null ? null : root.getScene().getWindow()));
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        // Export at the top: the knobs below are long, and what to do with a good point should not need a scroll
        HBox top = new HBox(8, title, gap, exportButton);
        top.setAlignment(Pos.CENTER_LEFT);
        VBox side = new VBox(12, top, buttons, fitPanel.node(), form.node(), formProblem, jsonPane);
        side.setPadding(new Insets(16));
        side.setPrefWidth(340);
        ScrollPane scroll = new ScrollPane(side);
        scroll.setFitToWidth(true);
        scroll.setMinWidth(300);
        scroll.getStyleClass().add("edge-to-edge");
        return scroll;
    }

    private Node chartColumn() {
        ExportActions chartExport = new ExportActions(chart.node(), () -> chart.csv(vm.points()), "tradeoff");
        chartExport.installContextMenu();
        Button jsonExport = new Button("JSON");
        jsonExport.getStyleClass().addAll("small", "flat");
        jsonExport.setTooltip(new Tooltip("Save every point (recipe, sizes, metrics) as JSON"));
        jsonExport.setOnAction(e -> saveJson());
        Label title = new Label("Size against quality");
        title.getStyleClass().add("section-title");
        Button sweep = new Button("Sweep rule");
        sweep.setId("sweep");
        sweep.setTooltip(new Tooltip("Build the current recipe at a ladder of values of its rank rule; every one "
                + "becomes a point"));
        sweep.setOnAction(e -> {
            Task<Integer> t = vm.sweep();
            if (t != null) sweep.disableProperty().bind(t.runningProperty());
        });
        Button evaluate = new Button("Evaluate");
        evaluate.setId("evaluate");
        evaluate.setTooltip(new Tooltip("Measure the task score of the current recipe now"));
        evaluate.setOnAction(e -> vm.evaluate());
        evaluate.disableProperty().bind(vm.currentProperty().isNull());
        Button pin = new Button("Pin");
        pin.setId("pin-current");
        pin.setTooltip(new Tooltip("Pin the current point to compare it with another (or right-click a point)"));
        pin.disableProperty().bind(vm.currentProperty().isNull());
        pin.setOnAction(e -> vm.pin(vm.currentProperty().get()));
        javafx.scene.control.Spinner<Integer> items = new javafx.scene.control.Spinner<>(0, 1_000_000, 0, 100);
        items.setId("task-items");
        items.setEditable(true);
        items.setPrefWidth(90);
        items.setTooltip(new Tooltip("Last-word items the task score uses (0: all of them)"));
        items.getValueFactory().valueProperty().bindBidirectional(vm.taskItemsProperty());
        // wraps rather than elides when narrow (1024x768, presenter mode): a truncated "Ev..." is no button to press
        title.setMinWidth(Region.USE_PREF_SIZE);
        FlowPane header = new FlowPane(8, 6, title, new Label("x:"), axis, new Label("y:"), metric, sweep, evaluate,
                new Label("items:"), items, pin, chartExport.buttons(), jsonExport);
        header.setId("compress-header");
        header.setAlignment(Pos.CENTER_LEFT);
        Label hint = new Label("Each point is a configuration tried (kept for this model across sessions); the square "
                + "is the dense model; the line is the Pareto front; bars are 95 % intervals of the task score; the "
                + "ringed point is the current recipe. Click a point to restore its recipe, right-click to pin it.");
        hint.getStyleClass().add("muted");
        hint.setWrapText(true);
        hint.setMinHeight(Region.USE_PREF_SIZE);
        progress.setId("compress-progress");
        progress.setPrefWidth(160);
        progress.setVisible(false);
        progressText.setId("compress-status");
        progressText.getStyleClass().add("muted");
        Label session = new Label();
        session.setId("compress-session");
        session.getStyleClass().add("muted");
        session.textProperty().bind(vm.sessionStatusProperty());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox working = new HBox(8, progress, progressText, gap, session);
        working.setAlignment(Pos.CENTER_LEFT);
        working.setMinHeight(22);
        VBox chartBox = new VBox(6, header, chart.node(), hint, working);
        VBox.setVgrow(chart.node(), Priority.ALWAYS);
        chartBox.getStyleClass().add("card");
        VBox.setVgrow(chartBox, Priority.ALWAYS);

        pinnedSummary.setId("pinned-summary");
        pinnedDiff.setId("pinned-diff");
        for (Label l : List.of(pinnedSummary, pinnedDiff)) {
            l.getStyleClass().add("pinned-pair");
            l.setWrapText(true);
            l.setMinHeight(Region.USE_PREF_SIZE);
        }
        Button unpin = new Button("Clear pins");
        unpin.getStyleClass().addAll("small", "flat");
        unpin.setOnAction(e -> vm.unpinAll());
        Label pinTitle = new Label("Pinned pair");
        pinTitle.getStyleClass().add("section-title");
        VBox pinned = new VBox(4, new HBox(8, pinTitle, unpin), pinnedSummary, pinnedDiff);
        pinned.setId("pinned-pair");
        pinned.getStyleClass().add("card");
        pinned.visibleProperty().bind(Bindings.isNotEmpty(vm.pinned()));
        pinned.managedProperty().bind(pinned.visibleProperty());

        VBox center = new VBox(12, figures.node(), chartBox, pinned);
        center.setPadding(new Insets(16, 16, 16, 4));
        return center;
    }

    private void modelOpened(OpenModel m) {
        if (m == null) return;
        RwkvModel model = m.loaded().model();
        List<String> names = new ArrayList<>(model.blocks().getFirst().timeMix().projections().keySet());
        names.addAll(model.blocks().getFirst().channelMix().projections().keySet());
        syncing = true;
        try {
            form.setMatrices(names, Compressor.defaultLowRankMatrices(m.loaded().config().generation()));
        } finally {
            syncing = false;
        }
        shown.request();
    }

    /** Moves the form and the JSON pane to the view model's recipe (an undo, a clicked point, a file). */
    private void showRecipe(Recipe r) {
        if (r == null) return;
        syncing = true;
        try {
            if (!r.equals(form.recipe())) form.load(r);
            if (!json.isFocused() || jsonPause.getStatus() != javafx.animation.Animation.Status.RUNNING) {
                json.setText(r.toJson());
                jsonProblem.setText("");
            }
        } finally {
            syncing = false;
        }
        // the knobs write every field: a recipe from elsewhere becomes the form's spelling of it, not a second edit
        Recipe spelled = form.recipe();
        if (spelled != null && !spelled.equals(r)) vm.respell(spelled);
    }

    private void applyJson() {
        try {
            Recipe r = Recipe.parse(json.getText(), "the recipe pane");
            jsonProblem.setText("");
            if (!r.equals(vm.recipe())) vm.edit(r);
        } catch (Recipe.RecipeException e) {
            jsonProblem.setText(e.getMessage());
        }
    }

    private void track(Task<?> t) {
        progress.progressProperty().unbind();
        progress.visibleProperty().unbind();
        progressText.textProperty().unbind();
        if (t == null) {
            progress.setVisible(false);
            progressText.setText("");
            return;
        }
        progress.progressProperty().bind(t.progressProperty());
        progress.visibleProperty().bind(t.runningProperty());
        progressText.textProperty().bind(Bindings.when(t.runningProperty()).then(t.messageProperty()).otherwise(""));
    }

    private void refresh() {
        String problem = vm.problemProperty().get();
        TradeOffPoint p = vm.currentProperty().get();
        if (problem != null) figures.showProblem(problem);
        else if (p == null) {
            figures.clear();
            if (vm.bench() != null) figures.computing();
        } else {
            figures.show(p, vm.bench() == null ? 0 : vm.bench().agreementTokens(),
                    vm.bench() != null && vm.bench().heldOutPresent(), vm.taskStatusProperty().get());
        }
        redraw();
    }

    private void redraw() {
        TradeOffPoint c = vm.currentProperty().get();
        Set<String> pins = vm.pinned().stream().map(TradeOffPoint::key).collect(Collectors.toSet());
        chart.show(vm.points(), c == null ? null : c.key(), vm.metricProperty().get(), vm.axisProperty().get(), pins);
    }

    private void showPinned() {
        List<TradeOffPoint> pins = vm.pinned();
        if (pins.size() < 2) {
            pinnedSummary.setText(pins.isEmpty() ? "" : "A: " + line(pins.getFirst()) + "\nPin a second point to compare.");
            pinnedDiff.setText("");
            return;
        }
        pinnedSummary.setText("A: " + line(pins.get(0)) + "\nB: " + line(pins.get(1)));
        List<RecipeDiff.Change> diff = vm.pinnedDiff();
        pinnedDiff.setText(diff.isEmpty() ? "The recipes are the same."
                : "Recipe A -> B:\n" + diff.stream().map(RecipeDiff.Change::toString).collect(Collectors.joining("\n")));
    }

    private static String line(TradeOffPoint p) {
        long fp16 = p.size().baselineFp16Bytes();
        String s = (p.dense() ? "dense" : RecipeLabels.describe(p.recipe())) + " | resident "
                + Formats.bytes(p.size().residentBytes()) + " (" + SizeWords.vsFp16(p.size().residentBytes(), fp16) + ")";
        if (p.fileBytes() != null) s += " | file " + Formats.bytes(p.fileBytes()) + " (" + SizeWords.vsFp16(p.fileBytes(), fp16) + ")";
        if (p.proxyMeasured()) s += " | top-1 " + Formats.percent(p.top1Agreement()) + String.format(java.util.Locale.ROOT, ", KL %.4f", p.meanKl());
        if (p.taskScore() != null) s += " | last word " + p.taskScore().text();
        return s;
    }

    private void saveJson() {
        FileChooser fc = new FileChooser();
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("JSON", "*.json"));
        fc.setInitialFileName("tradeoff.json");
        File f = fc.showSaveDialog(root.getScene() == null ? null : root.getScene().getWindow());
        if (f == null) return;
        try {
            AtomicFiles.write(f.toPath(), SessionStore.json(vm.modelHash(), null, List.copyOf(vm.points())));
        } catch (IOException e) {
            ErrorDialogs.show(root.getScene().getWindow(), "Saving " + f.getName(), e);
        }
    }

    /** Sweeps the current recipe's rank rule (see {@link CompressViewModel#sweep}). */
    public Task<Integer> sweep() {
        return vm.sweep();
    }

    /** Fits the recipe to the target in the "Fit to size" field (see {@link FitToSize}). */
    public Task<?> fitToSize() {
        return fitPanel.run();
    }

    /** Measures the current recipe's task score now. */
    public void scoreCurrent() {
        vm.evaluate();
    }

    public CompressViewModel model() {
        return vm;
    }

    /** Every configuration tried on this model, in the order tried. */
    public javafx.collections.ObservableList<TradeOffPoint> points() {
        return vm.points();
    }

    /** The point of the recipe in the knobs, once built. */
    public javafx.beans.property.ReadOnlyObjectProperty<TradeOffPoint> currentProperty() {
        return vm.currentProperty();
    }

    public Recipe recipe() {
        return vm.recipe();
    }

    /** Puts a recipe in the knobs, as loading a file does. */
    public void load(Recipe r) {
        vm.edit(r);
    }

    public javafx.beans.property.ObjectProperty<CompressData> dataProperty() {
        return vm.dataProperty();
    }

    public TradeOffChart chart() {
        return chart;
    }

    public ExportPanel exportPanel() {
        return export;
    }

    public QualityMetric metric() {
        return vm.metricProperty().get();
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
