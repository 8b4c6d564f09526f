package dev.rwkvedge.studio.views.generation;

import dev.rwkvedge.runtime.Generator;
import dev.rwkvedge.runtime.sampling.SamplerSettings;
import dev.rwkvedge.studio.jobs.JobRunner;
import dev.rwkvedge.studio.session.ModelSession;
import dev.rwkvedge.studio.session.OpenModel;
import dev.rwkvedge.studio.views.StudioContext;
import dev.rwkvedge.studio.views.StudioView;
import dev.rwkvedge.tokenizer.Tokenizer;
import java.util.List;
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
    private final BorderPane root = new BorderPane();

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
        stop.setOnAction(e -> {
            if (running.get() != null) running.get().cancel();
        });
        problem.setId("generation-problem");
        problem.getStyleClass().add("pane-note");
        problem.setWrapText(true);
        compressed.setUnavailable("No compressed model yet. Compress the model first; its output will appear here "
                + "beside the dense model's, for the same prompt and settings.");

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
    }

    private void modelChanged(OpenModel m) {
        if (running.get() != null) running.get().cancel();
        dense.clear();
        dense.setResidentBytes(m == null ? 0 : m.summary().bytes());
        String why = m == null ? "" : m.tokenizerProblem().map(p -> "Cannot generate: " + p).orElse("");
        problem.setText(why);
        problem.setVisible(!why.isEmpty());
        problem.setManaged(!why.isEmpty());
    }

    /** Starts generating with the current prompt and settings; the output streams into the dense pane. */
    public void generate() {
        OpenModel m = session.model();
        if (m == null || m.tokenizer().isEmpty() || running.get() != null) return;
        Tokenizer tokenizer = m.tokenizer().get();
        String text = prompt.getText();
        SamplerSettings settings = form.settings();
        int maxTokens = form.maxTokens();
        dense.started();
        TextStream stream = new TextStream(dense::append);
        Task<Generator.Result> task = jobs.submit("Generating", progress -> m.withEngine(() -> {
            progress.update(0, maxTokens, "Generating with " + m.summary().file());
            int[] emitted = {0};
            return new Generator(m.loaded().model(), tokenizer).generate(text, maxTokens, settings, List.of(), piece -> {
                stream.accept(piece);
                // pieces are not tokens, but one piece per token is the common case: good enough for a bar
                progress.update(Math.min(++emitted[0], maxTokens), maxTokens, "Generating with " + m.summary().file());
            }, progress::isCancelled);
        }), result -> {
            running.set(null);
            dense.finished(result);
        });
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_CANCELLED, e -> {
            stream.close();
            running.set(null);
            dense.stopped();
        });
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_FAILED, e -> {
            stream.close();
            running.set(null);
            dense.stopped();
        });
        running.set(task);
    }

    /** The job in progress, or null. */
    public ReadOnlyObjectProperty<Task<Generator.Result>> runningProperty() {
        return running.getReadOnlyProperty();
    }

    public TextArea prompt() {
        return prompt;
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
