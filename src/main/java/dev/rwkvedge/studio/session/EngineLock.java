package dev.rwkvedge.studio.session;

import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.task.CancelledException;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One model's engine is not thread-safe: every job that runs it holds this lock, and closing waits for the running
 * job, so a model is never released under a job that still reads its mapped weights.
 */
final class EngineLock {
    private final ReentrantLock lock = new ReentrantLock();
    private final LoadedModel loaded;
    private boolean closed;

    EngineLock(LoadedModel loaded) {
        this.loaded = loaded;
    }

    <T> T run(Callable<T> work) throws Exception {
        lock.lock();
        try {
            if (closed) throw new CancelledException();
            return work.call();
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until the running engine job (if any) ends: call off the FX thread. */
    void close() {
        lock.lock();
        try {
            if (!closed) loaded.close();
            closed = true;
        } finally {
            lock.unlock();
        }
    }
}
