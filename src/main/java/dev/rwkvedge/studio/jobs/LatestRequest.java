package dev.rwkvedge.studio.jobs;

import java.util.function.Consumer;
import javafx.concurrent.Task;

/**
 * Newest request wins, for live recomputation (a slider dragged over a spectrum): submitting cancels the request
 * still pending, and only the newest request's result is delivered; a superseded job that finishes anyway (it did
 * not check for cancellation in time) has its result dropped.
 */
public final class LatestRequest<T> {
    private final JobRunner runner;
    private final String title;
    private final Consumer<? super T> onResult;
    private Consumer<? super T> onDiscarded = value -> {};
    private Task<T> pending;
    private long newest;

    public LatestRequest(JobRunner runner, String title, Consumer<? super T> onResult) {
        this.runner = runner;
        this.title = title;
        this.onResult = onResult;
    }

    /**
     * Gets the results that arrive after a newer request was made (a job that finished just before its cancel), for
     * results that hold resources, such as an opened model to close.
     */
    public void setOnDiscarded(Consumer<? super T> onDiscarded) {
        this.onDiscarded = onDiscarded;
    }

    /** Call on the FX thread. */
    public Task<T> submit(EngineJob<T> job) {
        return submit(title, job);
    }

    /** With a title for this request's status line ("Opening model.pth"). */
    public Task<T> submit(String requestTitle, EngineJob<T> job) {
        if (pending != null) pending.cancel();
        long mine = ++newest;
        Task<T> task = runner.submit(requestTitle, job, value -> {
            if (mine == newest) onResult.accept(value);
            else onDiscarded.accept(value);
        });
        pending = task;
        return task;
    }

    public void cancel() {
        if (pending != null) pending.cancel();
    }
}
