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
        String noDisplay = noDisplay(System.getenv(), System.getProperty("os.name", ""), System.getProperty("glass.platform"));
        if (noDisplay != null) {
            System.err.println(noDisplay);
            return NO_DISPLAY;
        }
        try {
            Application.launch(StudioApp.class, args);
        } catch (RuntimeException e) {
            // a DISPLAY that names no reachable X server fails inside the toolkit's start-up
            if (String.valueOf(e.getMessage()).contains("DISPLAY")) {
                System.err.println(HEADLESS_HINT.formatted("cannot open the display " + System.getenv("DISPLAY")));
                return NO_DISPLAY;
            }
            throw e;
        }
        return StudioApp.exitCode();
    }

    static final int NO_DISPLAY = 1;
    static final String HEADLESS_HINT = "studio: %s; run it on a virtual display with `xvfb-run ./studio`, "
            + "or use the command line (`./studio --help`)";

    /**
     * Why no window can open, or null: on Linux a window needs an X or Wayland display, unless the test harness chose
     * JavaFX's own headless platform.
     */
    static String noDisplay(java.util.Map<String, String> env, String osName, String glassPlatform) {
        if (!osName.toLowerCase(java.util.Locale.ROOT).contains("linux") || "Headless".equalsIgnoreCase(glassPlatform)
                || "Monocle".equalsIgnoreCase(glassPlatform)) {
            return null;
        }
        boolean x = env.get("DISPLAY") != null && !env.get("DISPLAY").isBlank();
        boolean wayland = env.get("WAYLAND_DISPLAY") != null && !env.get("WAYLAND_DISPLAY").isBlank();
        return x || wayland ? null : HEADLESS_HINT.formatted("no display (DISPLAY is not set)");
    }
}
