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
    private Task<T> pending;
    private long newest;

    public LatestRequest(JobRunner runner, String title, Consumer<? super T> onResult) {
        this.runner = runner;
        this.title = title;
        this.onResult = onResult;
    }

    /** Call on the FX thread. */
    public Task<T> submit(EngineJob<T> job) {
        if (pending != null) pending.cancel();
        long mine = ++newest;
        Task<T> task = runner.submit(title, job, value -> {
            if (mine == newest) onResult.accept(value);
        });
        pending = task;
        return task;
    }

    public void cancel() {
        if (pending != null) pending.cancel();
    }
}
