package dev.rwkvedge.studio.jobs;

import dev.rwkvedge.task.CancelledException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import javafx.concurrent.WorkerStateEvent;

/**
 * Runs engine work on background threads and reports it to the FX thread. The status bar follows {@link #current()}
 * (the newest job still running); failures go to one error handler, cancellation is a normal outcome. Submit from the
 * FX thread only: results and handlers arrive there too.
 */
public final class JobRunner implements AutoCloseable {
    private final ExecutorService executor;
    private final ObservableList<Task<?>> running = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<Task<?>> current = new ReadOnlyObjectWrapper<>(this, "current");
    private final ReadOnlyStringWrapper lastOutcome = new ReadOnlyStringWrapper(this, "lastOutcome", "Ready");
    private BiConsumer<String, Throwable> errorHandler = (title, e) -> e.printStackTrace();

    public JobRunner() {
        AtomicInteger n = new AtomicInteger();
        // jobs that touch one model serialise on its lock (OpenModel), so a small pool is safe and keeps loading
        // a new model possible while a long generation runs
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "studio-job-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Where failures go (the window shows a dialog); called on the FX thread with the job's title. */
    public void setErrorHandler(BiConsumer<String, Throwable> handler) {
        this.errorHandler = handler;
    }

    public <T> Task<T> submit(String title, EngineJob<T> job, Consumer<? super T> onSuccess) {
        if (!Platform.isFxApplicationThread()) throw new IllegalStateException("submit jobs from the FX thread");
        JobTask<T> task = new JobTask<>(title, job);
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_SUCCEEDED, e -> {
            finished(task, title + ": done");
            onSuccess.accept(task.getValue());
        });
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_CANCELLED, e -> finished(task, title + ": cancelled"));
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_FAILED, e -> {
            Throwable ex = task.getException();
            if (ex instanceof CancelledException) {
                finished(task, title + ": cancelled");
            } else {
                finished(task, title + ": failed");
                errorHandler.accept(title, ex);
            }
        });
        running.add(task);
        current.set(task);
        executor.execute(task);
        return task;
    }

    private void finished(Task<?> task, String outcome) {
        running.remove(task);
        current.set(running.isEmpty() ? null : running.getLast());
        lastOutcome.set(outcome);
    }

    /** Cancels the job the status bar shows. */
    public void cancelCurrent() {
        Task<?> t = current.get();
        if (t != null) t.cancel();
    }

    public ReadOnlyObjectProperty<Task<?>> current() {
        return current.getReadOnlyProperty();
    }

    /** "Opening x: done", "Generating: cancelled", ... for the status line when nothing runs. */
    public ReadOnlyStringProperty lastOutcome() {
        return lastOutcome.getReadOnlyProperty();
    }

    public ObservableList<Task<?>> running() {
        return FXCollections.unmodifiableObservableList(running);
    }

    /** Work that reports to no one (closing a replaced model once its jobs are done). */
    public void runQuietly(Runnable r) {
        executor.execute(r);
    }

    @Override
    public void close() {
        // cancelled jobs end at their next check; work already queued (closing models) still runs
        List.copyOf(running).forEach(Task::cancel);
        executor.shutdown();
    }
}
