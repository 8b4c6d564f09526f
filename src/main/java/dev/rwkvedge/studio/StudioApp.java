package dev.rwkvedge.studio;

import dev.rwkvedge.studio.ui.SettingsStore;
import javafx.application.Application;
import javafx.stage.Stage;

/** The JavaFX application: parses the command line and opens the {@link StudioWindow}. */
public final class StudioApp extends Application {
    private static volatile int exitCode;
    private StudioWindow window;

    @Override
    public void start(Stage stage) {
        StudioOptions options = StudioOptions.parse(getParameters().getRaw());
        window = new StudioWindow(stage, options, SettingsStore.standard());
        if (options.screenshot() != null) {
            new ScreenshotDirector(window, options).start(code -> exitCode = code);
        }
    }

    @Override
    public void stop() {
        if (window != null) window.dispose();
    }

    static int exitCode() {
        return exitCode;
    }
}
