package dev.rwkvedge.studio;

import javafx.application.Application;

/**
 * Starts the studio from a plain main class: on the classpath, launching a main class that extends Application fails
 * with "JavaFX runtime components are missing".
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Blocks until the window closes; returns the exit code. */
    public static int run(String[] args) {
        int early = StudioOptions.check(args);
        if (early >= 0) return early;
        Application.launch(StudioApp.class, args);
        return StudioApp.exitCode();
    }
}
