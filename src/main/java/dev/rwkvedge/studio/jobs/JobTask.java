package dev.rwkvedge.studio.jobs;

import dev.rwkvedge.task.ProgressListener;
import javafx.concurrent.Task;

/** A JavaFX task that hands the engine a {@link ProgressListener} backed by the task's own progress and cancel flag. */
final class JobTask<T> extends Task<T> implements ProgressListener {
    private final EngineJob<T> job;

    JobTask(String title, EngineJob<T> job) {
        this.job = job;
        updateTitle(title);
        updateMessage(title);
    }

    @Override
    protected T call() throws Exception {
        checkCancelled();
        return job.run(this);
    }

    @Override
    public void update(long done, long total, String message) {
        // Task coalesces these into one FX-thread update per pulse, so engines may call it per unit of work
        if (total > 0) updateProgress(done, total);
        else updateProgress(-1, 1);
        if (message != null) updateMessage(message);
    }
}
