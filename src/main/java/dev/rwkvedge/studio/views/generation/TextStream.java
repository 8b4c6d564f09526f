package dev.rwkvedge.studio.views.generation;

import java.util.function.Consumer;
import javafx.application.Platform;

/**
 * Carries streamed text from the generating thread to the FX thread in batches: pieces that arrive while a batch is
 * waiting join it, so a fast model costs one UI update per pulse rather than one per token.
 */
final class TextStream implements Consumer<String> {
    private final Consumer<String> sink;
    private final StringBuilder pending = new StringBuilder();
    private boolean scheduled;

    /** @param sink called on the FX thread, in order */
    TextStream(Consumer<String> sink) {
        this.sink = sink;
    }

    @Override
    public void accept(String piece) {
        synchronized (pending) {
            pending.append(piece);
            if (scheduled) return;
            scheduled = true;
        }
        Platform.runLater(this::flush);
    }

    private void flush() {
        String batch;
        synchronized (pending) {
            batch = pending.toString();
            pending.setLength(0);
            scheduled = false;
        }
        if (!batch.isEmpty()) sink.accept(batch);
    }
}
