package dev.rwkvedge.studio.views.spectra;

import dev.rwkvedge.studio.jobs.EngineJob;
import dev.rwkvedge.studio.jobs.JobRunner;
import dev.rwkvedge.studio.jobs.LatestRequest;
import dev.rwkvedge.task.CancelledException;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.StringProperty;
import javafx.concurrent.Task;
import javafx.concurrent.WorkerStateEvent;

/**
 * An analysis view's background job: the newest request wins, the view's status line says when it was cancelled or
 * failed (the job runner's dialog has the details), and {@link #running()} is the job in progress, or null.
 */
public final class AnalysisJob<R> {
    private final LatestRequest<R> request;
    private final StringProperty status;
    private final String cancelled;
    private final ReadOnlyObjectWrapper<Task<R>> running = new ReadOnlyObjectWrapper<>(this, "running");

    /** @param cancelled the status after a cancel, which says how to run it again */
    public AnalysisJob(JobRunner jobs, String title, StringProperty status, String cancelled, Consumer<R> onResult) {
        this.status = status;
        this.cancelled = cancelled;
        this.request = new LatestRequest<>(jobs, title, r -> {
            running.set(null);
            onResult.accept(r);
        });
    }

    public Task<R> submit(String title, EngineJob<R> job) {
        Task<R> task = request.submit(title, job);
        running.set(task);
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_CANCELLED, e -> ended(task, cancelled));
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_FAILED, e -> ended(task, task.getException()
                instanceof CancelledException ? cancelled : "Failed: " + task.getException().getMessage()));
        return task;
    }

    private void ended(Task<R> task, String why) {
        // a superseded request ends as cancelled too; only the newest one speaks for the view
        if (running.get() != task) return;
        running.set(null);
        status.set(why);
    }

    /** Drops the request (the model changed): it ends quietly, without a "cancelled" status. */
    public void cancel() {
        running.set(null);
        request.cancel();
    }

    public ReadOnlyObjectProperty<Task<R>> running() {
        return running.getReadOnlyProperty();
    }

    public boolean isRunning() {
        return running.get() != null;
    }
}
