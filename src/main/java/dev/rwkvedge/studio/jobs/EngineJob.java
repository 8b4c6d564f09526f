package dev.rwkvedge.studio.jobs;

import dev.rwkvedge.task.ProgressListener;

/** Engine work the studio runs off the FX thread; it reports through, and stops when told by, the listener. */
@FunctionalInterface
public interface EngineJob<T> {
    T run(ProgressListener progress) throws Exception;
}
