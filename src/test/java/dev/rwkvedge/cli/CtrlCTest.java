package dev.rwkvedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rwkvedge.Main;
import dev.rwkvedge.io.ChildJava;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C, as a real SIGINT to a real ./studio process: the step stops, "cancelled", exit code 130, no files left. */
class CtrlCTest {
    private static final String MODEL = "models-sample/rwkv7-kjv-5m.pth";

    /** A stream drained on its own thread, so the child never blocks on a full pipe. */
    private static final class Drain {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Drain(InputStream in) {
            Thread.ofVirtual().start(() -> {
                byte[] b = new byte[4096];
                try {
                    for (int n; (n = in.read(b)) > 0; ) {
                        synchronized (bytes) {
                            bytes.write(b, 0, n);
                        }
                    }
                } catch (IOException ignored) {
                    // the child is gone
                }
            });
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }

    private static void assumeSigintDelivered() throws IOException {
        // a process started in the background with SIGINT ignored passes that on: then the JVM installs no handler
        String status = Files.readString(Path.of("/proc/self/status"));
        String ignored = status.lines().filter(l -> l.startsWith("SigIgn:")).findFirst().orElse("SigIgn: 0").substring(7).strip();
        assumeTrue((Long.parseUnsignedLong(ignored, 16) & 2) == 0, "SIGINT is ignored in this process, so in its children");
    }

    /** Starts the command line, waits until {@code started} holds, sends SIGINT, returns stderr after the exit. */
    private static String interrupt(List<String> args, java.util.function.BiPredicate<String, String> started) throws Exception {
        Process p = ChildJava.start(Main.class, Map.of("RWKV_PROGRESS", "1"), args.toArray(String[]::new));
        try {
            Drain out = new Drain(p.getInputStream()), err = new Drain(p.getErrorStream());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!started.test(out.text(), err.text())) {
                assertTrue(p.isAlive(), "the command ended before it was interrupted: " + err.text());
                assertTrue(System.nanoTime() < deadline, "the command did not start: " + err.text());
                Thread.sleep(50);
            }
            assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "no exit after Ctrl-C: " + err.text());
            Thread.sleep(100);
            String[] lines = err.text().strip().split("[\r\n]+");
            assertEquals("cancelled", lines[lines.length - 1].strip(), err.text());
            assertEquals(130, p.exitValue(), err.text());
            return err.text();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void generateStopsAtTheNextToken() throws Exception {
        assumeSigintDelivered();
        String prompt = "And God said";
        interrupt(List.of("generate", MODEL, "-p", prompt, "-n", "100000"), (out, err) -> out.length() > prompt.length() + 20);
    }

    @Test
    void compressStopsDuringCalibrationAndWritesNothing(@TempDir Path dir) throws Exception {
        assumeSigintDelivered();
        interrupt(List.of("compress", MODEL, "--recipe", "recipes/edge.json", "-o", dir.resolve("small.safetensors").toString(),
                "--dense", dir.resolve("small.pth").toString()), (out, err) -> err.contains("calibration"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void evalStopsBetweenWindows() throws Exception {
        assumeSigintDelivered();
        // the sample's held-out text is about 1,300 windows: far more than the time to the interrupt
        interrupt(List.of("eval", MODEL, "--task", "perplexity"), (out, err) -> err.contains("window"));
    }

    @Test
    void analyzeStopsDuringTheSpectra() throws Exception {
        assumeSigintDelivered();
        // a 0.1B model's spectra take minutes; without the cache, so the run computes them
        interrupt(List.of("analyze", "synthetic:rwkv7-0.1b:q8_0", "--no-cache"), (out, err) -> err.contains("spectra"));
    }
}
