package dev.rwkvedge.studio.views.compress.export;

import dev.rwkvedge.studio.jobs.JobRunner;
import dev.rwkvedge.studio.session.CompressedModel;
import java.io.File;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableObjectValue;
import javafx.concurrent.Task;
import javafx.concurrent.WorkerStateEvent;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * Where to write the compressed model and in which formats, with progress and a summary of what was written and
 * verified. Lives in its own window so the chart stays in view; failures go to the job runner's error dialog.
 */
public final class ExportPanel {
    private final JobRunner jobs;
    private final ObservableObjectValue<CompressedModel> model;
    private final TextField folder = new TextField();
    private final TextField name = new TextField();
    private final Map<ExportFormat, CheckBox> formats = new EnumMap<>(ExportFormat.class);
    private final Button run = new Button("Export");
    private final ProgressBar progress = new ProgressBar(0);
    private final Label status = new Label();
    private final TextArea summaryText = new TextArea();
    private final ReadOnlyObjectWrapper<ExportSummary> summary = new ReadOnlyObjectWrapper<>(this, "summary");
    private final ReadOnlyObjectWrapper<Task<ExportSummary>> running = new ReadOnlyObjectWrapper<>(this, "running");
    private final VBox root;
    private Stage stage;

    public ExportPanel(JobRunner jobs, ObservableObjectValue<CompressedModel> model) {
        this.jobs = jobs;
        this.model = model;
        folder.setId("export-folder");
        folder.setPromptText("folder to write into");
        HBox.setHgrow(folder, Priority.ALWAYS);
        Button browse = new Button("Choose...");
        browse.setOnAction(e -> chooseFolder());
        name.setId("export-name");
        VBox boxes = new VBox(4);
        for (ExportFormat f : ExportFormat.values()) {
            CheckBox c = new CheckBox(f.label);
            c.setId("export-" + f.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            c.setSelected(f == ExportFormat.COMPRESSED);
            formats.put(f, c);
            boxes.getChildren().add(c);
        }
        run.setId("export-run");
        run.getStyleClass().add("accent");
        run.setOnAction(e -> export());
        run.disableProperty().bind(running.isNotNull().or(javafx.beans.binding.Bindings.isNull(model))
                .or(folder.textProperty().isEmpty()).or(name.textProperty().isEmpty()));
        progress.setMaxWidth(Double.MAX_VALUE);
        progress.setVisible(false);
        status.getStyleClass().add("muted");
        summaryText.setId("export-summary");
        summaryText.setEditable(false);
        summaryText.setWrapText(true);
        summaryText.setPrefRowCount(10);
        VBox.setVgrow(summaryText, Priority.ALWAYS);
        Label title = new Label("Export the compressed model");
        title.getStyleClass().add("section-title");
        root = new VBox(8, title, new Label("Folder"), new HBox(6, folder, browse), new Label("File name"), name,
                new Label("Formats"), boxes, new HBox(8, run, status), progress, summaryText);
        root.setPadding(new Insets(16));
        root.setId("export-panel");
        model.subscribe(m -> {
            if (m != null && name.getText().isBlank()) name.setText(defaultName(m));
        });
    }

    /** Shows the panel in its own window beside the owner, creating it the first time. */
    public void showIn(Window owner) {
        if (stage == null) {
            stage = new Stage();
            stage.initOwner(owner);
            stage.setTitle("Export - RWKV Edge Studio");
            Scene scene = new Scene(root, 560, 600);
            if (owner != null && owner.getScene() != null) scene.getStylesheets().setAll(owner.getScene().getStylesheets());
            stage.setScene(scene);
        }
        CompressedModel m = model.get();
        if (m != null) {
            name.setText(defaultName(m));
            // beside the source model unless the user chose a folder before
            if (folder.getText().isBlank() && m.loaded().path().toAbsolutePath().getParent() != null) {
                folder.setText(m.loaded().path().toAbsolutePath().getParent().toString());
            }
        }
        stage.show();
        stage.toFront();
    }

    private static String defaultName(CompressedModel m) {
        String f = m.loaded().path().getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }

    private void chooseFolder() {
        DirectoryChooser dc = new DirectoryChooser();
        File f = dc.showDialog(root.getScene() == null ? null : root.getScene().getWindow());
        if (f != null) folder.setText(f.getAbsolutePath());
    }

    /** Writes the chosen formats of the current compressed model in the background. */
    public void export() {
        CompressedModel m = model.get();
        if (m == null || running.get() != null) return;
        Path dir = Path.of(folder.getText().strip());
        String base = name.getText().strip();
        Set<ExportFormat> chosen = EnumSet.noneOf(ExportFormat.class);
        formats.forEach((f, c) -> {
            if (c.isSelected()) chosen.add(f);
        });
        summaryText.clear();
        Task<ExportSummary> task = jobs.submit("Exporting " + base, p -> ExportJob.run(m, dir, base, chosen, p), s -> {
            running.set(null);
            summary.set(s);
            summaryText.setText(s.text());
            status.setText(s.allVerified() ? "Done, verified" : "Done, NOT verified");
        });
        progress.progressProperty().bind(task.progressProperty());
        progress.visibleProperty().bind(task.runningProperty());
        status.textProperty().unbind();
        status.setText("Exporting...");
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_FAILED, e -> ended("Failed"));
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_CANCELLED, e -> ended("Cancelled"));
        running.set(task);
    }

    private void ended(String outcome) {
        running.set(null);
        status.setText(outcome);
    }

    public ReadOnlyObjectProperty<ExportSummary> summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Task<ExportSummary>> runningProperty() {
        return running.getReadOnlyProperty();
    }

    public TextField folder() {
        return folder;
    }

    public VBox node() {
        return root;
    }
}
