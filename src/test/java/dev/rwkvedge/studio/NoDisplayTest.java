package dev.rwkvedge.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rwkvedge.Main;
import dev.rwkvedge.io.ChildJava;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** ./studio without a display: one line saying so and how to run headless, not a JavaFX stack trace. */
class NoDisplayTest {
    @Test
    void studioWithoutDisplaySaysSoInOneLine() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "the check is for Linux desktops");
        Process p = ChildJava.start(Main.class, Map.of("DISPLAY", "", "WAYLAND_DISPLAY", ""));
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(l -> !l.startsWith("WARNING: Using incubator modules")).reduce("", (a, b) -> a + b + "\n").strip();
        assertEquals(Launcher.NO_DISPLAY, p.exitValue(), err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("no display") && err.contains("xvfb-run ./studio") && err.contains("./studio --help"), err);
    }

    @Test
    void displayOrHeadlessPlatformLetsTheWindowOpen() {
        assertNull(Launcher.noDisplay(Map.of("DISPLAY", ":0"), "Linux", null));
        assertNull(Launcher.noDisplay(Map.of("WAYLAND_DISPLAY", "wayland-0"), "Linux", null));
        assertNull(Launcher.noDisplay(Map.of(), "Linux", "Headless"));
        assertNull(Launcher.noDisplay(Map.of(), "Mac OS X", null));
        assertTrue(Launcher.noDisplay(Map.of("DISPLAY", " "), "Linux", null).contains("no display"));
    }
}
