package dev.rwkvedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The `./studio` script itself without a display: one line saying so, before the JVM starts (whose first line would
 * be its incubator-module warning) and before any build.
 */
class LauncherScriptTest {
    @Test
    void withoutDisplayTheScriptSaysSoInOneLine() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "the check is for Linux desktops");
        for (List<String> args : List.of(List.<String>of(), List.of("studio", "--theme", "dark"))) {
            ProcessBuilder pb = new ProcessBuilder(new java.util.ArrayList<>(List.of("bash", "studio")));
            pb.command().addAll(args);
            pb.environment().remove("DISPLAY");
            pb.environment().remove("WAYLAND_DISPLAY");
            pb.environment().remove("STUDIO_JAVA_OPTS");
            Process p = pb.start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the script did not stop");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, p.exitValue(), err);
            assertEquals("", out);
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.startsWith("studio: no display") && err.contains("xvfb-run ./studio")
                    && err.contains("./studio --help"), err);
        }
    }
}
