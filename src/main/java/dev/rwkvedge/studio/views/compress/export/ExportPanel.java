package dev.rwkvedge.studio.views.compress.export;

import dev.rwkvedge.studio.jobs.JobRunner;
import dev.rwkvedge.studio.session.CompressedModel;
import dev.rwkvedge.studio.ui.Notices;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
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
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
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
    /** The source model the name was made for, and the folder last filled in by default (not by the user). */
    private Path source;
    private String defaultFolder = "";

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
        model.subscribe(this::followSource);
    }

    /**
     * The name always follows the model open now (a file of one model never gets another's name); the folder stays
     * what the user typed or chose, and otherwise is the user's own folder, never the source model's (which for the
     * sample is models-sample/, where a written .pth would then pass for the sample model).
     */
    private void followSource(CompressedModel m) {
        if (m == null) return;
        Path src = m.loaded().path().toAbsolutePath();
        if (!src.equals(source)) {
            source = src;
            name.setText(ExportDefaults.baseName(src));
        }
        if (folder.getText().isBlank() || folder.getText().equals(defaultFolder)) {
            defaultFolder = ExportDefaults.folder().toString();
            folder.setText(defaultFolder);
        }
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
        followSource(model.get());
        stage.show();
        stage.toFront();
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
        List<Path> existing = chosen.stream().map(f -> dir.resolve(base + f.suffix)).filter(Files::exists).toList();
        if (!existing.isEmpty() && !askToReplace(existing)) {
            status.setText("Not exported: nothing was replaced");
            return;
        }
        summaryText.clear();
        Task<ExportSummary> task = jobs.submit("Exporting " + base, p -> ExportJob.run(m, dir, base, chosen, p), s -> {
            running.set(null);
            summary.set(s);
            summaryText.setText(s.text());
            status.setText(s.allVerified() ? "Done, verified" : "Done, NOT verified");
            Notices.show(root, s.allVerified() ? "Export verified" : "Export NOT verified",
                    s.files().size() + " file(s) in " + dir + (s.allVerified() ? ", each reopened and checked" : ""));
        });
        progress.progressProperty().bind(task.progressProperty());
        progress.visibleProperty().bind(task.runningProperty());
        status.textProperty().unbind();
        status.setText("Exporting...");
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_FAILED, e -> ended("Failed"));
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_CANCELLED, e -> ended("Cancelled"));
        running.set(task);
    }

    private boolean askToReplace(List<Path> existing) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION);
        if (root.getScene() != null) a.initOwner(root.getScene().getWindow());
        a.setTitle("Replace files?");
        a.setHeaderText(existing.size() == 1 ? existing.getFirst().getFileName() + " already exists."
                : existing.size() + " of the files already exist.");
        a.setContentText("Replace " + String.join(", ", existing.stream().map(p -> p.getFileName().toString()).toList())
                + " in " + existing.getFirst().getParent() + "?");
        ButtonType replace = new ButtonType("Replace", ButtonBar.ButtonData.OK_DONE);
        a.getButtonTypes().setAll(replace, ButtonType.CANCEL);
        a.getDialogPane().setId("export-overwrite");
        a.getDialogPane().lookupButton(replace).setId("export-overwrite-replace");
        a.getDialogPane().lookupButton(ButtonType.CANCEL).setId("export-overwrite-cancel");
        return a.showAndWait().filter(replace::equals).isPresent();
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

    public TextField name() {
        return name;
    }

    public Label status() {
        return status;
    }

    public VBox node() {
        return root;
    }
}
