package dev.rwkvedge.studio.views.compress;

import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.concurrent.Task;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The "Fit to size" controls of the knob column: a target field, Fit and Cancel, one status line, and the solver's
 * reasons (each setting alone, the choice, what it measured) in a monospaced pane. Binds only; {@link FitToSize}
 * does the work.
 */
final class FitPanel {
    static final String DEFAULT_TARGET = "10x";

    private final FitToSize fit;
    private final TextField target = new TextField(DEFAULT_TARGET);
    private final TitledPane pane;

    FitPanel(FitToSize fit) {
        this.fit = fit;
        target.setId("fit-target");
        target.setPromptText("10x or 1 MB");
        target.setPrefColumnCount(7);
        target.setTooltip(new Tooltip("A resident size (1 MB, 800 kB, 1.5 MiB) or how many times smaller than the "
                + "dense model in fp16 (10x)"));
        target.setOnAction(e -> run());
        Button go = new Button("Fit");
        go.setId("fit");
        go.setTooltip(new Tooltip("Choose ranks, precisions, predictor thresholds and head settings that fit the "
                + "target with the least KL to dense (measured per part on the calibration text), and put them in "
                + "the knobs (Undo takes them back)"));
        go.setOnAction(e -> run());
        Button cancel = new Button("Cancel");
        cancel.setId("fit-cancel");
        cancel.setOnAction(e -> fit.cancel());
        fit.runningProperty().subscribe(t -> {
            go.disableProperty().unbind();
            cancel.disableProperty().unbind();
            if (t == null) {
                go.setDisable(false);
                cancel.setDisable(true);
            } else {
                go.disableProperty().bind(t.runningProperty());
                cancel.disableProperty().bind(t.runningProperty().not());
            }
        });
        Label status = new Label();
        status.setId("fit-status");
        status.getStyleClass().add("muted");
        status.setWrapText(true);
        status.setMinHeight(Region.USE_PREF_SIZE);
        status.textProperty().bind(fit.statusProperty());
        TextArea why = new TextArea();
        why.setId("fit-reasons");
        why.setEditable(false);
        why.setWrapText(false);
        why.setPrefRowCount(10);
        why.getStyleClass().add("pinned-pair");
        fit.reasons().addListener((ListChangeListener<String>) c -> why.setText(String.join("\n", fit.reasons())));
        why.visibleProperty().bind(Bindings.isNotEmpty(fit.reasons()));
        why.managedProperty().bind(why.visibleProperty());
        HBox.setHgrow(target, Priority.ALWAYS);
        HBox row = new HBox(6, target, go, cancel);
        pane = new TitledPane("Fit to size", new VBox(6, row, status, why));
        pane.setId("fit-pane");
    }

    Node node() {
        return pane;
    }

    /** Fits to the target in the field (the presenter's shortcut does the same). */
    Task<?> run() {
        return fit.fit(target.getText());
    }
}
