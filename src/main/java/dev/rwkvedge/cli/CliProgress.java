package dev.rwkvedge.cli;

import dev.rwkvedge.task.ProgressListener;

/** Engine progress drawn as a bar on stderr; Ctrl-C asks the work to stop ({@link Cancellation}). */
final class CliProgress implements ProgressListener, AutoCloseable {
    private final String label;
    private final boolean enabled = System.console() != null || "1".equals(System.getenv("RWKV_PROGRESS"));
    private long lastDraw;
    private boolean drawn;

    CliProgress(String label) {
        this.label = label;
    }

    @Override
    public synchronized void update(long done, long total, String message) {
        long now = System.nanoTime();
        if (!enabled || (now - lastDraw < 150_000_000L && done < total)) return;
        lastDraw = now;
        int width = 24;
        int fill = total > 0 ? (int) Math.min(width, width * done / total) : 0;
        String text = String.format("\r%s [%s%s] %s", label, "#".repeat(fill), " ".repeat(width - fill),
                message == null ? "" : message);
        System.err.print(text.length() > 100 ? text.substring(0, 100) : text + " ".repeat(100 - text.length()));
        System.err.flush();
        drawn = true;
    }

    @Override
    public boolean isCancelled() {
        return Cancellation.requested();
    }

    @Override
    public synchronized void close() {
        if (drawn) {
            System.err.print("\r" + " ".repeat(100) + "\r");
            System.err.flush();
            drawn = false;
        }
    }
}
