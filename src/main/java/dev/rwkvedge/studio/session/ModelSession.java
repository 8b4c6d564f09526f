package dev.rwkvedge.studio.session;

import dev.rwkvedge.model.ModelSummary;
import dev.rwkvedge.studio.jobs.JobRunner;
import dev.rwkvedge.studio.jobs.LatestRequest;
import dev.rwkvedge.task.CancelledException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
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
    // built from the shipped recipe whenever a model opens; the session owns it and closes it with its model
    private final ReadOnlyObjectWrapper<CompressedModel> defaultCompressed =
            new ReadOnlyObjectWrapper<>(this, "defaultCompressed");
    private final ReadOnlyStringWrapper defaultProblem = new ReadOnlyStringWrapper(this, "defaultProblem");
    private final LatestRequest<DefaultBuild> defaultBuilding;
    private Consumer<Path> onOpened = p -> {};

    /** The default compressed model of one opened file, or why there is none. */
    private record DefaultBuild(Path source, CompressedModel model, String problem) {}

    public ModelSession(JobRunner jobs) {
        this.jobs = jobs;
        this.opening = new LatestRequest<>(jobs, "Opening", m -> {
            replace(m);
            onOpened.accept(m.path());
        });
        opening.setOnDiscarded(m -> jobs.runQuietly(m::close));
        defaultBuilding = new LatestRequest<>(jobs, "Building the default compressed model", this::defaultBuilt);
        defaultBuilding.setOnDiscarded(b -> closeQuietly(b.model()));
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
        defaultBuilding.cancel();
        closeQuietly(defaultCompressed.get());
        defaultCompressed.set(null);
        defaultProblem.set(null);
        model.set(next);
        // closing waits for a generation still using the old model, so it must not block the FX thread
        if (old != null) jobs.runQuietly(old::close);
        if (next != null) buildDefault(next);
    }

    private void buildDefault(OpenModel m) {
        Optional<Path> recipe = DefaultCompression.recipeFile();
        if (m.tokenizer().isEmpty() || recipe.isEmpty()) {
            defaultProblem.set(recipe.isEmpty() ? "the shipped recipe (recipes/" + DefaultCompression.RECIPE_FILE
                    + ") was not found" : "the model has no tokenizer");
            return;
        }
        defaultProblem.set("being built from " + recipe.get().getFileName());
        defaultBuilding.submit("Compressing with " + recipe.get().getFileName(), p -> {
            try {
                return new DefaultBuild(m.path(), DefaultCompression.build(m.path(), m.tokenizer().get(),
                        recipe.get(), p), null);
            } catch (CancelledException e) {
                throw e;
            } catch (Exception | OutOfMemoryError e) {
                // not worth a dialog: the user did not ask for it, and the Compress tab still works
                return new DefaultBuild(m.path(), null, recipe.get().getFileName() + " could not be applied: "
                        + e.getMessage());
            }
        });
    }

    private void defaultBuilt(DefaultBuild b) {
        if (model.get() == null || !model.get().path().equals(b.source())) {
            closeQuietly(b.model());
            return;
        }
        defaultProblem.set(b.problem());
        defaultCompressed.set(b.model());
    }

    private void closeQuietly(CompressedModel m) {
        if (m != null) jobs.runQuietly(m::close);
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

    /**
     * The open model compressed with the shipped recipe (recipes/edge.json), built in the background when the model
     * opened; null until it is ready, or when it could not be built (then {@link #defaultProblemProperty} says why).
     */
    public ReadOnlyObjectProperty<CompressedModel> defaultCompressedProperty() {
        return defaultCompressed.getReadOnlyProperty();
    }

    public CompressedModel defaultCompressed() {
        return defaultCompressed.get();
    }

    /** Why there is no default compressed model (yet), or null. */
    public ReadOnlyStringProperty defaultProblemProperty() {
        return defaultProblem.getReadOnlyProperty();
    }

    public ObjectBinding<ModelSummary> summaryProperty() {
        return summary;
    }

    public JobRunner jobs() {
        return jobs;
    }
}
