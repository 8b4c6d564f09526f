package dev.rwkvedge.studio.session;

import dev.rwkvedge.model.ModelSummary;
import dev.rwkvedge.studio.jobs.JobRunner;
import dev.rwkvedge.studio.jobs.LatestRequest;
import java.nio.file.Path;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.concurrent.Task;

/**
 * The model the studio works on, as observable properties the views bind to. Opening runs in the background and
 * replaces the model only when the new one was read completely, so a file that cannot be read leaves the previous
 * model in place. Use on the FX thread.
 */
public final class ModelSession {
    private final JobRunner jobs;
    private final ReadOnlyObjectWrapper<OpenModel> model = new ReadOnlyObjectWrapper<>(this, "model");
    // the compress view builds it and owns its life; the generation view runs it beside the dense model
    private final ObjectProperty<CompressedModel> compressed = new SimpleObjectProperty<>(this, "compressed");
    private final ObjectBinding<ModelSummary> summary =
            Bindings.createObjectBinding(() -> model.get() == null ? null : model.get().summary(), model);
    // opening another file while one is still loading supersedes it: the newest choice is the one the user wants
    private final LatestRequest<OpenModel> opening;
    private Consumer<Path> onOpened = p -> {};

    public ModelSession(JobRunner jobs) {
        this.jobs = jobs;
        this.opening = new LatestRequest<>(jobs, "Opening", m -> {
            replace(m);
            onOpened.accept(m.path());
        });
        opening.setOnDiscarded(m -> jobs.runQuietly(m::close));
    }

    /** Told about every file opened successfully (the recent-files list). */
    public void setOnOpened(Consumer<Path> onOpened) {
        this.onOpened = onOpened;
    }

    public Task<OpenModel> open(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return opening.submit("Opening " + abs.getFileName(), progress -> {
            OpenModel m = OpenModel.load(abs, progress);
            // the task may have been cancelled after the last check: then nobody takes the model, so close it here
            if (progress.isCancelled()) {
                m.close();
                progress.checkCancelled();
            }
            return m;
        });
    }

    /** Back to no model (the welcome screen). */
    public void close() {
        opening.cancel();
        replace(null);
    }

    private void replace(OpenModel next) {
        OpenModel old = model.get();
        compressed.set(null);
        model.set(next);
        // closing waits for a generation still using the old model, so it must not block the FX thread
        if (old != null) jobs.runQuietly(old::close);
    }

    public ReadOnlyObjectProperty<OpenModel> modelProperty() {
        return model.getReadOnlyProperty();
    }

    public OpenModel model() {
        return model.get();
    }

    /** The compressed model built last from the open one, or null; set by whoever built it, who also closes it. */
    public ObjectProperty<CompressedModel> compressedProperty() {
        return compressed;
    }

    public CompressedModel compressed() {
        return compressed.get();
    }

    public ObjectBinding<ModelSummary> summaryProperty() {
        return summary;
    }

    public JobRunner jobs() {
        return jobs;
    }
}
