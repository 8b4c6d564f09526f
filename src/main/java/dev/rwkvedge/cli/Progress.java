package dev.rwkvedge.cli;

import java.io.PrintStream;

/** A one-line progress bar on stderr, redrawn at most a few times a second, silent when stderr is not a terminal. */
final class Progress implements AutoCloseable {
    private final PrintStream err = System.err;
    private final String label;
    private final long total;
    private final boolean enabled;
    private long lastDraw;
    private long done;

    Progress(String label, long total) {
        this.label = label;
        this.total = Math.max(1, total);
        this.enabled = System.console() != null || "1".equals(System.getenv("RWKV_PROGRESS"));
    }

    void step(long n) {
        done += n;
        long now = System.nanoTime();
        if (enabled && (now - lastDraw > 200_000_000L || done >= total)) {
            lastDraw = now;
            int width = 30;
            int fill = (int) Math.min(width, width * done / total);
            err.printf("\r%s [%s%s] %d/%d", label, "#".repeat(fill), " ".repeat(width - fill), done, total);
            err.flush();
        }
    }

    @Override
    public void close() {
        if (enabled) {
            err.print("\r" + " ".repeat(label.length() + 50) + "\r");
            err.flush();
        }
    }
}
