package dev.rwkvedge.studio.views.generation;

import dev.rwkvedge.runtime.Generator;
import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.runtime.sampling.SamplerSettings;
import dev.rwkvedge.studio.jobs.JobRunner;
import dev.rwkvedge.studio.session.CompressedModel;
import dev.rwkvedge.studio.session.DefaultCompression;
import dev.rwkvedge.studio.session.ModelSession;
import dev.rwkvedge.studio.session.OpenModel;
import dev.rwkvedge.studio.views.StudioContext;
import dev.rwkvedge.studio.views.StudioView;
import dev.rwkvedge.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.concurrent.Task;
import javafx.concurrent.WorkerStateEvent;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** Type a prompt, turn the sampling knobs, and watch the model write: dense beside compressed. */
public final class GenerationView implements StudioView {
    static final String DEFAULT_PROMPT = "The ";
    private static final String NO_COMPRESSED = "Turn the knobs in the Compress tab: the latest model built there "
            + "writes here beside the dense one, for the same prompt and settings.";

    private final ModelSession session;
    private final JobRunner jobs;
    private final TextArea prompt = new TextArea(DEFAULT_PROMPT);
    private final SamplingForm form = new SamplingForm();
    private final Button generate = new Button("Generate");
    private final Button stop = new Button("Stop");
    private final Label problem = new Label();
    private final GenerationPane dense = new GenerationPane("dense", "Dense");
    private final GenerationPane compressed = new GenerationPane("compressed", "Compressed");
    private final ReadOnlyObjectWrapper<Task<Generator.Result>> running = new ReadOnlyObjectWrapper<>();
    // the dense job and, beside it, the compressed one; running stays set until both ended
    private final List<Task<Generator.Result>> active = new ArrayList<>();
    private final BorderPane root = new BorderPane();
    private CompressedModel shownModel;

    public GenerationView(StudioContext ctx) {
        this.session = ctx.session();
        this.jobs = ctx.jobs();
        prompt.setId("prompt");
        prompt.setWrapText(true);
        prompt.setPrefRowCount(4);
        // the speaker's shortcut: type, Ctrl+Enter, watch
        prompt.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER && e.isShortcutDown()) {
                generate();
                e.consume();
            }
        });
        prompt.setPromptText("Ctrl+Enter generates");
        generate.setId("generate");
        generate.setDefaultButton(false);
        generate.getStyleClass().add("accent");
        generate.setOnAction(e -> generate());
        generate.setTooltip(new javafx.scene.control.Tooltip("Ctrl+Enter in the prompt"));
        stop.setId("stop");
        stop.setOnAction(e -> List.copyOf(active).forEach(Task::cancel));
        problem.setId("generation-problem");
        problem.getStyleClass().add("pane-note");
        problem.setWrapText(true);

        generate.disableProperty().bind(running.isNotNull().or(session.modelProperty().isNull())
                .or(problem.textProperty().isNotEmpty()));
        stop.disableProperty().bind(running.isNull());
        HBox buttons = new HBox(8, generate, stop);
        Label promptLabel = new Label("Prompt");
        promptLabel.getStyleClass().add("section-title");
        Label settingsLabel = new Label("Sampling");
        settingsLabel.getStyleClass().add("section-title");
        VBox.setMargin(settingsLabel, new Insets(10, 0, 0, 0));
        VBox side = new VBox(8, promptLabel, prompt, buttons, problem, settingsLabel, form.node());
        side.setPadding(new Insets(16));
        side.setPrefWidth(300);
        side.setMinWidth(260);
        ScrollPane sideScroll = new ScrollPane(side);
        sideScroll.setFitToWidth(true);
        sideScroll.getStyleClass().add("edge-to-edge");

        HBox panes = new HBox(12, dense.node(), compressed.node());
        panes.setPadding(new Insets(16, 16, 16, 4));
        HBox.setHgrow(panes, Priority.ALWAYS);
        root.setLeft(sideScroll);
        root.setCenter(panes);

        session.modelProperty().subscribe(this::modelChanged);
        session.compressedProperty().subscribe(c -> compressedChanged());
        session.defaultCompressedProperty().subscribe(c -> compressedChanged());
        session.defaultProblemProperty().subscribe(c -> compressedChanged());
    }

    /** The model of the Compress tab's current recipe once it built one, until then the shipped recipe's. */
    private CompressedModel shownCompressed() {
        return session.compressed() != null ? session.compressed() : session.defaultCompressed();
    }

    private void compressedChanged() {
        CompressedModel c = shownCompressed();
        if (c != shownModel) {
            shownModel = c;
            compressed.clear();
            compressed.setResidentBytes(c == null ? 0 : c.size().residentBytes());
            compressed.setTitle(c == null ? "Compressed" : c == session.compressed()
                    ? "Compressed · Compress tab recipe" : "Compressed · " + DefaultCompression.RECIPE_FILE);
        }
        // the reason may change while there is still no model ("being built" -> "could not be applied")
        String problem = session.defaultProblemProperty().get();
        compressed.setUnavailable(c != null ? null : problem == null ? NO_COMPRESSED
                : problem.startsWith("being") ? "The default compressed model is " + problem + " (see the status bar). "
                + NO_COMPRESSED : "No default compressed model: " + problem + ". " + NO_COMPRESSED);
    }

    private void modelChanged(OpenModel m) {
        List.copyOf(active).forEach(Task::cancel);
        dense.clear();
        dense.setResidentBytes(m == null ? 0 : m.summary().bytes());
        String why = m == null ? "" : m.tokenizerProblem().map(p -> "Cannot generate: " + p).orElse("");
        problem.setText(why);
        problem.setVisible(!why.isEmpty());
        problem.setManaged(!why.isEmpty());
    }

    /**
     * Starts generating with the current prompt and settings: the dense model streams into its pane and, when one was
     * built, the compressed model into the other, both at once so the audience sees them race.
     */
    public void generate() {
        OpenModel m = session.model();
        if (m == null || m.tokenizer().isEmpty() || running.get() != null) return;
        Tokenizer tokenizer = m.tokenizer().get();
        String text = prompt.getText();
        SamplerSettings settings = form.settings();
        int maxTokens = form.maxTokens();
        Task<Generator.Result> first = start(dense, m::withEngine, m.loaded().model(), tokenizer, m.summary().file(),
                text, settings, maxTokens);
        running.set(first);
        CompressedModel c = shownCompressed();
        if (c != null) {
            start(compressed, c::withEngine, c.loaded().model(), tokenizer, "the compressed model", text, settings,
                    maxTokens);
        }
    }

    /** Engine access of one model: its lock, held while the work runs. */
    private interface Engine {
        Generator.Result run(Callable<Generator.Result> work) throws Exception;
    }

    private Task<Generator.Result> start(GenerationPane pane, Engine engine, RwkvModel model, Tokenizer tokenizer,
                                         String name, String text, SamplerSettings settings, int maxTokens) {
        pane.started();
        TextStream stream = new TextStream((piece, n) -> {
            pane.append(piece, n);
            markDivergence();
        });
        List<Task<Generator.Result>> self = new ArrayList<>(1);
        Task<Generator.Result> task = jobs.submit("Generating", progress -> engine.run(() -> {
            progress.update(0, maxTokens, "Generating with " + name);
            int[] emitted = {0};
            return new Generator(model, tokenizer).generate(text, maxTokens, settings, List.of(), piece -> {
                stream.accept(piece);
                // pieces are not tokens, but one piece per token is the common case: good enough for a bar
                progress.update(Math.min(++emitted[0], maxTokens), maxTokens, "Generating with " + name);
            }, progress::isCancelled);
        }), result -> {
            ended(self, pane, null);
            pane.finished(result);
        });
        self.add(task);
        active.add(task);
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_CANCELLED, e -> ended(self, pane, stream));
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_FAILED, e -> ended(self, pane, stream));
        return task;
    }

    /** Marks, in both panes, where the compressed text first differs from the dense one (live, as they stream). */
    private void markDivergence() {
        Divergence d = Divergence.of(dense.output().getText(), compressed.output().getText());
        dense.showDivergence(d, true);
        compressed.showDivergence(d, false);
    }

    /** The result may arrive before the task's state says SUCCEEDED, so the task is removed by identity. */
    private void ended(List<Task<Generator.Result>> self, GenerationPane pane, TextStream stopped) {
        active.removeAll(self);
        active.removeIf(Task::isDone);
        if (stopped != null) {
            stopped.close();
            pane.stopped();
        }
        if (active.isEmpty()) running.set(null);
    }

    /** The job in progress, or null. */
    public ReadOnlyObjectProperty<Task<Generator.Result>> runningProperty() {
        return running.getReadOnlyProperty();
    }

    public TextArea prompt() {
        return prompt;
    }

    /** What the compressed pane marks as its own continuation after the texts diverged ("" while they agree). */
    public String compressedDivergence() {
        return compressed.divergenceMarked();
    }

    /** The compressed pane's heading ("Compressed · edge.json" before the Compress tab built a model). */
    public String compressedTitle() {
        return compressed.title();
    }

    @Override
    public String id() {
        return "generation";
    }

    @Override
    public String title() {
        return "Generation";
    }

    @Override
    public Node root() {
        return root;
    }
}
