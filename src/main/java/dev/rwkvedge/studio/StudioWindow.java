package dev.rwkvedge.studio;

import dev.rwkvedge.model.SampleModel;
import dev.rwkvedge.studio.jobs.JobRunner;
import dev.rwkvedge.studio.session.DefaultCompression;
import dev.rwkvedge.studio.session.ModelSession;
import dev.rwkvedge.studio.ui.ErrorDialogs;
import dev.rwkvedge.studio.ui.Formats;
import dev.rwkvedge.studio.ui.Notices;
import dev.rwkvedge.studio.ui.Presentation;
import dev.rwkvedge.studio.ui.SettingsStore;
import dev.rwkvedge.studio.ui.StudioSettings;
import dev.rwkvedge.studio.ui.Theme;
import dev.rwkvedge.studio.views.StudioContext;
import dev.rwkvedge.studio.views.StudioView;
import dev.rwkvedge.studio.views.StudioViews;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javafx.application.Platform;
import javafx.concurrent.Task;
import javafx.concurrent.WorkerStateEvent;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.stage.FileChooser;
import javafx.stage.Screen;
import javafx.stage.Stage;

/**
 * The main window: menus, one tab per {@link StudioView}, the status bar, and the welcome screen while no model is
 * open. Owns the job runner and the model session that the views share.
 */
public final class StudioWindow {
    static final Image ICON = new Image(Objects.requireNonNull(
            StudioWindow.class.getResourceAsStream("/dev/rwkvedge/studio/icon.png")));

    private final Stage stage;
    private final SettingsStore store;
    private StudioSettings settings;
    private final JobRunner jobs = new JobRunner();
    private final ModelSession session = new ModelSession(jobs);
    private final List<StudioView> views = new ArrayList<>();
    private final TabPane tabs = new TabPane();
    private final WelcomePane welcome = new WelcomePane(this::chooseAndOpen);
    private final StudioMenus menus;
    private final Scene scene;
    private final Presentation presentation;
    private Theme theme;

    public StudioWindow(Stage stage, StudioOptions options, SettingsStore store) {
        this.stage = stage;
        this.store = store;
        this.settings = store.load();
        this.theme = options.theme() != null ? options.theme() : settings.theme();
        jobs.setErrorHandler((title, e) -> ErrorDialogs.show(stage, title, e));
        session.setOnOpened(this::remember);

        StudioContext ctx = new StudioContext(session, jobs);
        tabs.setId("views");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        for (var factory : StudioViews.standard()) {
            StudioView v = factory.apply(ctx);
            views.add(v);
            Tab t = new Tab(v.title(), v.root());
            t.setId("tab-" + v.id());
            tabs.getTabs().add(t);
        }
        StackPane center = new StackPane(welcome.node(), tabs);
        tabs.visibleProperty().bind(session.modelProperty().isNotNull());
        welcome.node().visibleProperty().bind(session.modelProperty().isNull());

        BorderPane root = new BorderPane(center);
        presentation = new Presentation(root);
        presentation.presenterProperty().set(options.presenter());
        menus = new StudioMenus(this);
        menus.showRecent(settings.recentFiles());
        root.setTop(menus.node());
        root.setBottom(new StatusBar(jobs, session).node());
        root.setId("studio-root");

        int[] size = fitted(options.size());
        scene = new Scene(presentation.node(), size[0], size[1]);
        acceptDroppedFiles();
        // Ctrl and the key that types + (= on US keyboards, with or without Shift) and the keypad's keys also zoom
        var accelerators = scene.getAccelerators();
        accelerators.put(new KeyCodeCombination(KeyCode.EQUALS, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_ANY),
                presentation::zoomIn);
        accelerators.put(new KeyCodeCombination(KeyCode.ADD, KeyCombination.SHORTCUT_DOWN), presentation::zoomIn);
        accelerators.put(new KeyCodeCombination(KeyCode.SUBTRACT, KeyCombination.SHORTCUT_DOWN), presentation::zoomOut);
        accelerators.put(new KeyCodeCombination(KeyCode.NUMPAD0, KeyCombination.SHORTCUT_DOWN), presentation::actualSize);
        theme.apply(scene);
        stage.setScene(scene);
        stage.setTitle("RWKV Edge Studio");
        stage.getIcons().add(ICON);
        session.modelProperty().subscribe(m ->
                stage.setTitle(m == null ? "RWKV Edge Studio" : m.summary().file() + " - RWKV Edge Studio"));
        session.defaultCompressedProperty().subscribe(c -> {
            if (c != null) {
                Notices.show(root, "Compressed model ready", String.format(Locale.ROOT,
                        "%s with %s: %s resident, %s. Generation shows it beside the dense model.",
                        c.loaded().path().getFileName(), DefaultCompression.RECIPE_FILE,
                        Formats.bytes(c.size().residentBytes()), Formats.versus(c.size().ratioVsFp16(), "fp16")));
            }
        });
        if (options.view() != null) select(options.view());
        stage.show();
        openAtStart(options.model());
    }

    /** The requested size, shrunk to the screen (the headless test screen is 1000x1000). */
    private static int[] fitted(int[] wanted) {
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        return new int[] {(int) Math.min(wanted[0], screen.getWidth() - 20),
                (int) Math.min(wanted[1], screen.getHeight() - 60)};
    }

    private void openAtStart(Path model) {
        Optional<Path> file = model != null ? Optional.of(model) : SampleModel.locate();
        if (file.isEmpty()) {
            welcome.setMessage("No sample model found in " + SampleModel.folder() + ". Open a model file to start.");
            return;
        }
        welcome.setMessage("Opening " + file.get().getFileName() + "...");
        Task<?> t = open(file.get());
        t.addEventHandler(WorkerStateEvent.WORKER_STATE_FAILED, e ->
                welcome.setMessage("Could not open " + file.get().getFileName() + ". Open another model file."));
        t.addEventHandler(WorkerStateEvent.WORKER_STATE_CANCELLED, e ->
                welcome.setMessage("Opening was cancelled. Open a model file to start."));
    }

    /** Opens a model in the background; on failure an error dialog says why and the current model stays. */
    public Task<?> open(Path file) {
        return session.open(file);
    }

    void chooseAndOpen() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open a model");
        fc.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("RWKV models", "*.pth", "*.safetensors", "*.st", "*.bin", "*.gguf"),
                new FileChooser.ExtensionFilter("All files", "*"));
        if (session.model() != null) fc.setInitialDirectory(session.model().path().toAbsolutePath().getParent().toFile());
        File f = fc.showOpenDialog(stage);
        if (f != null) open(f.toPath());
    }

    private void acceptDroppedFiles() {
        scene.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) e.acceptTransferModes(TransferMode.COPY);
            e.consume();
        });
        scene.setOnDragDropped(e -> {
            List<File> files = e.getDragboard().getFiles();
            boolean ok = files != null && !files.isEmpty();
            if (ok) open(files.getFirst().toPath());
            e.setDropCompleted(ok);
            e.consume();
        });
    }

    private void remember(Path file) {
        settings = settings.withRecent(file.toString());
        store.save(settings);
        menus.showRecent(settings.recentFiles());
    }

    void clearRecent() {
        settings = settings.withoutRecent();
        store.save(settings);
        menus.showRecent(settings.recentFiles());
    }

    public void setTheme(Theme t) {
        theme = t;
        t.apply(scene);
        menus.showTheme(t);
        settings = settings.withTheme(t);
        store.save(settings);
    }

    public Theme theme() {
        return theme;
    }

    /** Shows the tab of the view with this id; an unknown id is a usage error. */
    public StudioView select(String viewId) {
        for (int i = 0; i < views.size(); i++) {
            if (views.get(i).id().equals(viewId)) {
                tabs.getSelectionModel().select(i);
                return views.get(i);
            }
        }
        throw new IllegalArgumentException("unknown view '" + viewId + "' (known: "
                + String.join(", ", views.stream().map(StudioView::id).toList()) + ")");
    }

    /** The views in tab order (Shortcut+1 shows the first). */
    List<StudioView> views() {
        return List.copyOf(views);
    }

    public <V extends StudioView> V view(Class<V> type) {
        return views.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }

    void showAbout() {
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        a.initOwner(stage);
        a.setTitle("About");
        a.setHeaderText("RWKV Edge Studio 0.1.0");
        a.setContentText("Compress RWKV language models (v4 to v7) for small devices: look inside a checkpoint, "
                + "turn the compression knobs, compare accuracy against size, preview and export.\n\n"
                + "Java " + Runtime.version() + ", JavaFX " + System.getProperty("javafx.runtime.version", "?"));
        javafx.scene.image.ImageView logo = new javafx.scene.image.ImageView(ICON);
        logo.setFitWidth(64);
        logo.setFitHeight(64);
        a.setGraphic(logo);
        a.show();
    }

    void quit() {
        Platform.exit();
    }

    /** Stops the jobs and releases the model; the window is gone after this. */
    public void dispose() {
        session.close();
        jobs.close();
    }

    /** Zoom and presenter mode. */
    public Presentation presentation() {
        return presentation;
    }

    public ModelSession session() {
        return session;
    }

    public JobRunner jobs() {
        return jobs;
    }

    public Scene scene() {
        return scene;
    }

    public Stage stage() {
        return stage;
    }
}
