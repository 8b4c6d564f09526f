package dev.rwkvedge.studio;

import dev.rwkvedge.studio.ui.SettingsStore;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;

/** The JavaFX application: parses the command line and opens the {@link StudioWindow}. */
public final class StudioApp extends Application {
    private static volatile int exitCode;
    private StudioWindow window;

    @Override
    public void start(Stage stage) {
        StudioOptions options = StudioOptions.parse(getParameters().getRaw());
        try {
            window = new StudioWindow(stage, options, SettingsStore.standard());
        } catch (IllegalArgumentException e) {
            // an unknown --view: the view ids are only known once the views exist
            System.err.println("studio: " + e.getMessage());
            exitCode = 2;
            Platform.exit();
            return;
        }
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
