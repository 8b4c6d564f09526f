package dev.rwkvedge.studio;

import dev.rwkvedge.studio.ui.PngFiles;
import dev.rwkvedge.studio.views.compress.CompressView;
import dev.rwkvedge.studio.views.compress.QualityMetric;
import dev.rwkvedge.studio.views.compress.TradeOffPoint;
import dev.rwkvedge.studio.views.generation.GenerationView;
import java.io.IOException;
import java.util.Comparator;
import java.util.function.IntConsumer;
import javafx.animation.KeyFrame;
import javafx.animation.PauseTransition;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.util.Duration;

/**
 * The --screenshot mode for README pictures: waits for the model to open, optionally generates from --prompt, lets
 * the view render, writes the window's scene to the PNG and exits (code 1 when no model could be opened).
 */
final class ScreenshotDirector {
    /** How long to wait for background work (a loaded machine needs minutes for the compress picture's scores). */
    private static final long TIMEOUT_NANOS = 600_000_000_000L;
    /** Last-word items the compress picture scores on (of 800): enough for visible intervals, minutes not tens. */
    private static final int SCREENSHOT_TASK_ITEMS = 200;
    private final StudioWindow window;
    private final StudioOptions options;
    private final long started = System.nanoTime();
    private IntConsumer exit;

    ScreenshotDirector(StudioWindow window, StudioOptions options) {
        this.window = window;
        this.options = options;
    }

    void start(IntConsumer exit) {
        this.exit = exit;
        whenIdle(this::afterOpen);
    }

    private void afterOpen() {
        if (window.session().model() == null) {
            System.err.println("studio: no model open; the screenshot shows the welcome screen");
        } else if (options.prompt() != null && "generation".equals(options.view())) {
            GenerationView g = window.view(GenerationView.class);
            g.prompt().setText(options.prompt());
            g.generate();
            whenIdle(this::capture);
            return;
        } else if ("compress".equals(options.view())) {
            // a chart of one point says little: sweep the rank rule, then measure the task score (and so the dense
            // point's) of the current recipe and of the sweep's largest point on 200 items, and show last-word
            // accuracy with the 95 % intervals
            CompressView c = window.view(CompressView.class);
            c.model().taskItemsProperty().set(SCREENSHOT_TASK_ITEMS);
            c.sweep();
            whenIdle(() -> {
                c.model().metricProperty().set(QualityMetric.TASK);
                TradeOffPoint start = c.model().currentProperty().get();
                c.scoreCurrent();
                whenIdle(() -> c.points().stream().filter(p -> !p.dense() && p != start)
                        .max(Comparator.comparingLong(p -> p.size().residentBytes()))
                        .ifPresentOrElse(p -> {
                            c.model().pick(p);
                            whenIdle(() -> {
                                c.scoreCurrent();
                                whenIdle(this::capture);
                            });
                        }, this::capture));
            });
            return;
        }
        capture();
    }

    private void capture() {
        // two pulses are not always enough for charts and text areas to lay out; half a second is
        PauseTransition settle = new PauseTransition(Duration.millis(600));
        settle.setOnFinished(e -> {
            int code = window.session().model() == null ? 1 : 0;
            try {
                PngFiles.write(window.scene().snapshot(null), options.screenshot());
                System.err.println("studio: wrote " + options.screenshot().toAbsolutePath());
            } catch (IOException ex) {
                System.err.println("studio: cannot write " + options.screenshot() + ": " + ex.getMessage());
                code = 1;
            }
            exit.accept(code);
            Platform.exit();
        });
        settle.play();
    }

    /** Runs next once no background job is running (polled: jobs may start each other). */
    private void whenIdle(Runnable next) {
        Timeline poll = new Timeline();
        poll.getKeyFrames().add(new KeyFrame(Duration.millis(150), e -> {
            if (window.jobs().running().isEmpty()) {
                poll.stop();
                next.run();
            } else if (System.nanoTime() - started > TIMEOUT_NANOS) {
                poll.stop();
                System.err.println("studio: gave up waiting for background work; taking the screenshot anyway");
                next.run();
            }
        }));
        poll.setCycleCount(Timeline.INDEFINITE);
        // the opening job is submitted in the window's constructor, so the first poll already sees it
        poll.play();
    }
}
