package dev.rwkvedge.task;

/**
 * How long work reports progress and learns that it should stop. The CLI draws a bar on stderr, the studio binds a
 * JavaFX task to it; engines only call {@link #update} and {@link #checkCancelled}.
 */
public interface ProgressListener {
    ProgressListener NONE = (done, total, message) -> {};

    /** {@code done} of {@code total} units; total <= 0 means unknown. May be called from any thread. */
    void update(long done, long total, String message);

    default boolean isCancelled() {
        return false;
    }

    /** Throws {@link CancelledException} once cancellation was requested; call it between units of work. */
    default void checkCancelled() {
        if (isCancelled()) throw new CancelledException();
    }
}
