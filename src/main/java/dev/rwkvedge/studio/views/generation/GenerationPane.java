package dev.rwkvedge.studio.views.generation;

import dev.rwkvedge.runtime.Generator;
import dev.rwkvedge.studio.ui.Formats;
import java.util.Locale;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

/**
 * One model's output: a heading with its resident size, the streamed text and the speed. The dense and the compressed
 * model each get one, side by side, so the audience reads both continuations of the same prompt.
 */
final class GenerationPane {
    private final Label heading = new Label();
    private final Label memory = new Label();
    private final TextArea output = new TextArea();
    private final Label stats = new Label();
    private final Label note = new Label();
    private final Label divergenceCaption = new Label();
    private final Text divergenceCommon = new Text();
    private final Text divergenceOwn = new Text();
    private final VBox divergence;
    private final VBox root;
    private int pieces;
    private long startedNanos;

    GenerationPane(String id, String title) {
        heading.setText(title);
        heading.getStyleClass().add("section-title");
        memory.setId(id + "-memory");
        memory.getStyleClass().add("muted");
        output.setId(id + "-output");
        output.setEditable(false);
        output.setWrapText(true);
        output.getStyleClass().add("generated-text");
        stats.setId(id + "-stats");
        stats.getStyleClass().add("muted");
        note.getStyleClass().add("pane-note");
        note.setWrapText(true);
        note.setVisible(false);
        note.setManaged(false);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(8, heading, spacer, memory);
        header.setAlignment(Pos.BASELINE_LEFT);
        VBox.setVgrow(output, Priority.ALWAYS);
        divergenceCaption.setId(id + "-divergence");
        divergenceCaption.getStyleClass().add("muted");
        divergenceCommon.getStyleClass().add("divergence-common");
        divergenceOwn.getStyleClass().add("divergence-own");
        TextFlow context = new TextFlow(divergenceCommon, divergenceOwn);
        context.getStyleClass().add("divergence-context");
        divergence = new VBox(2, divergenceCaption, context);
        divergence.setVisible(false);
        divergence.setManaged(false);
        root = new VBox(6, header, note, output, divergence, stats);
        root.setId(id + "-pane");
        root.getStyleClass().add("card");
        HBox.setHgrow(root, Priority.ALWAYS);
        root.setPrefWidth(340);
    }

    /** Greys the pane out with a reason in place of the output ("no compressed model yet"). */
    void setUnavailable(String reason) {
        boolean off = reason != null;
        note.setText(off ? reason : "");
        note.setVisible(off);
        note.setManaged(off);
        root.setDisable(off);
    }

    void setTitle(String title) {
        heading.setText(title);
    }

    /**
     * Marks where this pane's text parts from the other pane's: the shared context, then this pane's own
     * continuation highlighted; hidden while the texts agree.
     */
    void showDivergence(Divergence d, boolean denseSide) {
        divergence.setVisible(d.diverged());
        divergence.setManaged(d.diverged());
        if (!d.diverged()) return;
        divergenceCaption.setText(String.format(Locale.ROOT, "Same as the %s text for %d characters, then:",
                denseSide ? "compressed" : "dense", d.at()));
        divergenceCommon.setText((d.at() > d.common().length() ? "…" : "") + visible(d.common()));
        divergenceOwn.setText(visible(denseSide ? d.dense() : d.other()));
    }

    /** Line breaks and tabs as symbols, so the one-line context shows where they are. */
    private static String visible(String s) {
        return s.replace("\n", "⏎").replace("\t", "→");
    }

    String title() {
        return heading.getText();
    }

    String divergenceMarked() {
        return divergence.isVisible() ? divergenceOwn.getText() : "";
    }

    void setResidentBytes(long bytes) {
        memory.setText(bytes > 0 ? Formats.bytes(bytes) + " of weights in memory" : "");
    }

    void clear() {
        output.clear();
        stats.setText("");
        showDivergence(Divergence.NONE, false);
    }

    void started() {
        output.clear();
        showDivergence(Divergence.NONE, false);
        stats.setText("Generating...");
        pieces = 0;
        startedNanos = System.nanoTime();
    }

    /** Adds streamed text; the speed shown meanwhile counts pieces, one per token except inside a split character. */
    void append(String text, int pieceCount) {
        output.appendText(text);
        pieces += pieceCount;
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        if (seconds > 0.2) {
            stats.setText(String.format(Locale.ROOT, "%d tokens so far, about %.1f tokens/s", pieces, pieces / seconds));
        }
    }

    void finished(Generator.Result r) {
        stats.setText(String.format(Locale.ROOT, "%d tokens at %.1f tokens/s  ·  stop: %s", r.generatedTokens(),
                r.tokensPerSecond(), r.stop().name().toLowerCase(Locale.ROOT).replace('_', ' ')));
        stats.setTooltip(new Tooltip(String.format(Locale.ROOT, "prompt: %d tokens at %.0f tokens/s",
                r.promptTokens(), r.promptTokensPerSecond())));
    }

    void stopped() {
        stats.setText("Stopped");
    }

    TextArea output() {
        return output;
    }

    VBox node() {
        return root;
    }
}
