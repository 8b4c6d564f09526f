package dev.rwkvedge.studio;

import dev.rwkvedge.studio.jobs.JobRunner;
import dev.rwkvedge.studio.session.ModelSession;
import dev.rwkvedge.studio.ui.Formats;
import javafx.beans.binding.Bindings;
import javafx.concurrent.Task;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/** The bottom line: what the newest job is doing with its progress and a Cancel button, and which model is open. */
final class StatusBar {
    private final Label message = new Label();
    private final ProgressBar progress = new ProgressBar();
    private final Button cancel = new Button("Cancel");
    private final Label model = new Label();
    private final HBox root;

    StatusBar(JobRunner jobs, ModelSession session) {
        message.setId("status-message");
        progress.setId("job-progress");
        progress.setPrefWidth(180);
        cancel.setId("job-cancel");
        cancel.getStyleClass().addAll("small");
        cancel.setOnAction(e -> jobs.cancelCurrent());
        model.setId("status-model");
        model.getStyleClass().add("muted");
        jobs.current().subscribe(task -> follow(task, jobs));
        model.textProperty().bind(Bindings.createStringBinding(() -> {
            var s = session.summaryProperty().get();
            return s == null ? "No model" : s.file() + "  ·  RWKV " + s.config().generation() + "  ·  "
                    + Formats.count(s.parameters()) + " parameters  ·  " + Formats.bytes(s.bytes());
        }, session.summaryProperty()));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        root = new HBox(10, message, progress, cancel, spacer, model);
        root.setAlignment(Pos.CENTER_LEFT);
        root.getStyleClass().add("status-bar");
    }

    private void follow(Task<?> task, JobRunner jobs) {
        boolean busy = task != null;
        progress.setVisible(busy);
        cancel.setVisible(busy);
        progress.progressProperty().unbind();
        message.textProperty().unbind();
        if (busy) {
            progress.progressProperty().bind(task.progressProperty());
            message.textProperty().bind(task.messageProperty());
        } else {
            message.textProperty().bind(jobs.lastOutcome());
        }
    }

    HBox node() {
        return root;
    }
}
