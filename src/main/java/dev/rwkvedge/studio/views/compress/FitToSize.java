package dev.rwkvedge.studio.views.compress;

import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.budget.BudgetSolver;
import dev.rwkvedge.compress.budget.SolvedRecipe;
import dev.rwkvedge.studio.jobs.JobRunner;
import dev.rwkvedge.studio.jobs.LatestRequest;
import dev.rwkvedge.studio.ui.Formats;
import dev.rwkvedge.task.CancelledException;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import javafx.concurrent.WorkerStateEvent;

/**
 * The Compress view's "Fit to size": a target (10x, 1 MB) in, the budget solver's recipe into the knobs as one
 * undoable edit, and its reasons out. The solver runs as a background job with progress and cancel; a cancelled or
 * impossible fit leaves the knobs as they were. FX thread only.
 */
public final class FitToSize {
    private final Supplier<CompressionBench> bench;
    private final Consumer<Recipe> edit;
    private final Consumer<Task<?>> working;
    private final LatestRequest<Outcome> fitting;
    private final ObjectProperty<BudgetSolver.Settings> settings =
            new SimpleObjectProperty<>(this, "settings", BudgetSolver.Settings.defaults());
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyObjectWrapper<SolvedRecipe> solved = new ReadOnlyObjectWrapper<>(this, "solved");
    private final ReadOnlyObjectWrapper<Task<?>> running = new ReadOnlyObjectWrapper<>(this, "running");
    private final ObservableList<String> reasons = FXCollections.observableArrayList();
    private final ObservableList<String> reasonsView = FXCollections.unmodifiableObservableList(reasons);

    /** What one fit job brings back: the bench it ran on, the target in words, and the choice or why there is none. */
    private record Outcome(CompressionBench bench, String target, CompressionBench.Fitted fitted, String problem) {}

    /**
     * @param bench   the open model's bench (null while none)
     * @param edit    puts a recipe into the knobs as an edit
     * @param working shows a job in the view's progress bar
     */
    FitToSize(JobRunner jobs, Supplier<CompressionBench> bench, Consumer<Recipe> edit, Consumer<Task<?>> working) {
        this.bench = bench;
        this.edit = edit;
        this.working = working;
        fitting = new LatestRequest<>(jobs, "Fitting to size", this::done);
    }

    /**
     * Starts a fit to the target typed ("10x", "1 MB"), or returns null with the reason in {@link #statusProperty}
     * when the text is no target or nothing is open.
     */
    public Task<?> fit(String text) {
        FitTarget target;
        try {
            target = FitTarget.parse(text);
        } catch (IllegalArgumentException e) {
            status.set(e.getMessage());
            return null;
        }
        CompressionBench b = bench.get();
        if (b == null) {
            status.set("Open a model to fit.");
            return null;
        }
        if (b.dataProblem() != null) {
            status.set(b.dataProblem());
            return null;
        }
        BudgetSolver.Settings s = settings.get();
        status.set("Fitting to " + text.trim() + "...");
        Task<Outcome> t = fitting.submit("Fitting to " + text.trim(), p -> {
            String words = target.describe(b.fp16Bytes());
            try {
                return new Outcome(b, words, b.fit(target, s, p), null);
            } catch (BudgetSolver.BudgetException e) {
                // an impossible budget is an answer, not a failure: the message names the smallest size reachable
                return new Outcome(b, words, null, "Cannot fit " + words + ": " + e.getMessage());
            }
        });
        // a cancelled job never reaches done(): its status is set here
        t.addEventHandler(WorkerStateEvent.WORKER_STATE_CANCELLED, e -> stopped(t));
        t.addEventHandler(WorkerStateEvent.WORKER_STATE_FAILED, e -> {
            if (t.getException() instanceof CancelledException) stopped(t);
            else if (running.get() == t) status.set("Fit failed: " + t.getException().getMessage());
        });
        running.set(t);
        working.accept(t);
        return t;
    }

    private void stopped(Task<Outcome> t) {
        if (running.get() == t) status.set("Fit cancelled: the knobs are as they were.");
    }

    private void done(Outcome o) {
        if (o.bench() != bench.get()) return;
        if (o.problem() != null) {
            status.set(o.problem());
            return;
        }
        SolvedRecipe r = o.fitted().solved();
        solved.set(r);
        reasons.setAll(r.explanation());
        long fp16 = o.bench().fp16Bytes();
        status.set(String.format(Locale.ROOT, "Fitted to %s: %s resident (%s), mean KL %.4f to dense on the probe%s.",
                o.target(), Formats.bytes(r.measuredBytes()), Formats.versus((double) fp16 / r.measuredBytes(), "fp16"),
                r.measuredKl(), o.fitted().reused() ? "; part measurements reused" : ""));
        edit.accept(r.recipe());
    }

    /** Stops a running fit; the knobs stay as they are. */
    public void cancel() {
        fitting.cancel();
    }

    /** A new model or new data: a running fit stops, its reasons go. */
    void reset() {
        fitting.cancel();
        solved.set(null);
        reasons.clear();
        status.set("");
    }

    /** The parts and settings the solver chooses among, and its probe length (the defaults of the CLI). */
    public ObjectProperty<BudgetSolver.Settings> settingsProperty() {
        return settings;
    }

    /** One line: what the last fit did, why it could not, or that it was cancelled. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The last fit's choice, or null. */
    public ReadOnlyObjectProperty<SolvedRecipe> solvedProperty() {
        return solved.getReadOnlyProperty();
    }

    /** The solver's reasons for the last fit: each setting alone (bytes saved, KL added), what was chosen and measured. */
    public ObservableList<String> reasons() {
        return reasonsView;
    }

    /** The newest fit job (running or done), or null. */
    public ReadOnlyObjectProperty<Task<?>> runningProperty() {
        return running.getReadOnlyProperty();
    }
}
