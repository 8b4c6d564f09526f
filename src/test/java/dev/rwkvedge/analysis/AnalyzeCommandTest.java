package dev.rwkvedge.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rwkvedge.Reference;
import dev.rwkvedge.cli.StudioCommand;
import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.io.Checkpoints;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end, without the cache (tests must not write to the user's home). */
class AnalyzeCommandTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = StudioCommand.run(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void jsonHasEveryMatrixAndTheSparsityOfEachLayer() throws Exception {
        Path model = Reference.file("rwkv.cpp/tests/tiny-rwkv-7v0-834K-FP32.bin");
        Path text = tmp.resolve("calibration.txt");
        Files.writeString(text, ActivationStatsTest.TEXT);
        Run r = run("analyze", model.toString(), "--no-cache", "--json", "--threads", "2", "--calibration",
                text.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        int expected;
        try (Checkpoint ck = Checkpoints.open(model)) {
            expected = WeightMatrices.of(ck, false).size();
        }
        assertEquals(expected, j.get("matrices").size());
        JsonNode first = j.get("matrices").get(0);
        assertEquals("att.receptance", first.get("name").asText());
        assertEquals(64, first.get("singular_values").size());
        assertTrue(j.get("alpha_estimator").asText().contains("Kolmogorov-Smirnov"));
        JsonNode acts = j.get("activations");
        assertEquals(ActivationStatsTest.TEXT.length(), acts.get("tokens").asInt());
        assertEquals(12, acts.get("channel_mix").size());
        for (JsonNode l : acts.get("channel_mix")) {
            assertEquals(1 - l.get("sparsity").asDouble(), l.get("mean_firing").asDouble(), 1e-12);
        }
    }

    @Test
    void tableHasOneRowPerMatrix() {
        Path model = Reference.file("rwkv.cpp/tests/tiny-rwkv-5v2-730K-FP32.bin");
        Run r = run("analyze", model.toString(), "--no-cache");
        assertEquals(0, r.code(), r.err());
        long rows = r.out().lines().filter(l -> l.matches("^\\d+\\s+(att|ffn)\\..*")).count();
        assertEquals(12 * 8, rows);
        assertTrue(r.out().contains("att.gate"));
    }

    @Test
    void errorsAreOneLine() {
        Run r = run("analyze", tmp.resolve("missing.bin").toString(), "--no-cache");
        assertEquals(2, r.code());
        assertEquals("error: invalid MODEL: file not found: " + tmp.resolve("missing.bin") + "; see 'studio analyze --help'",
                r.err().strip());
    }
}
