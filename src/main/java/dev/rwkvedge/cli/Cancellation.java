package dev.rwkvedge.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C (or kill) while a command runs: the JVM's shutdown hook asks the running step to stop at its next check and
 * waits for the command to end, so that it prints {@code cancelled} and its temporary files are removed; the JVM then
 * exits with 130 (SIGINT) or 143 (SIGTERM).
 */
final class Cancellation {
    /** How long shutdown waits for a step that checks for cancellation rarely (or never, as a short command). */
    static final long GRACE_SECONDS = 20;

    private static final AtomicBoolean REQUESTED = new AtomicBoolean();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();
    private static volatile CountDownLatch running;

    private Cancellation() {}

    static boolean requested() {
        return REQUESTED.get();
    }

    /** Marks the start of a command: from now on a shutdown waits for {@link #end()}. */
    static void begin() {
        running = new CountDownLatch(1);
        if (HOOKED.compareAndSet(false, true)) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(Cancellation::onShutdown, "cancel-command"));
            } catch (IllegalStateException shuttingDown) {
                REQUESTED.set(true);
            }
        }
    }

    static void end() {
        CountDownLatch l = running;
        running = null;
        if (l != null) l.countDown();
    }

    private static void onShutdown() {
        REQUESTED.set(true);
        CountDownLatch l = running;
        if (l == null) return;
        try {
            l.await(GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
