package dev.rwkvedge.task;

/** Thrown by long work when the user cancelled it; callers treat it as a normal outcome, not an error. */
public final class CancelledException extends RuntimeException {
    public CancelledException() {
        super("cancelled", null, false, false);
    }
}
