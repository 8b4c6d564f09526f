package dev.rwkvedge.studio.views.generation;

import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javafx.application.Platform;

/**
 * Carries streamed text from the generating thread to the FX thread in batches: pieces that arrive while a batch is
 * waiting join it, so a fast model costs one UI update per pulse rather than one per token.
 */
final class TextStream implements Consumer<String> {
    private final BiConsumer<String, Integer> sink;
    private final StringBuilder pending = new StringBuilder();
    private int pieces;
    private boolean scheduled;
    private boolean closed;

    /** @param sink called on the FX thread, in order, with a batch of text and how many pieces it joins */
    TextStream(BiConsumer<String, Integer> sink) {
        this.sink = sink;
    }

    @Override
    public void accept(String piece) {
        synchronized (pending) {
            pending.append(piece);
            pieces++;
            if (scheduled) return;
            scheduled = true;
        }
        Platform.runLater(this::flush);
    }

    /** Drops whatever arrives from now on: after Stop, the engine may still emit a piece before it sees the cancel. */
    void close() {
        synchronized (pending) {
            closed = true;
        }
    }

    private void flush() {
        String batch;
        int n;
        synchronized (pending) {
            batch = pending.toString();
            n = pieces;
            pending.setLength(0);
            pieces = 0;
            scheduled = false;
            if (closed) return;
        }
        if (!batch.isEmpty()) sink.accept(batch, n);
    }
}
