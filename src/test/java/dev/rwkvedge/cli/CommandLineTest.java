package dev.rwkvedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rwkvedge.Reference;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands end to end: outputs that other tools read, and one clear line for bad input. */
class CommandLineTest {
    record Run(int code, String out, String err) {}

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = StudioCommand.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void logitsFileHoldsRwkvCppsNumbers(@TempDir Path dir) throws Exception {
        Path model = Reference.file("rwkv.cpp/tests/tiny-rwkv-7v0-834K-FP32.bin");
        Path out = dir.resolve("l.f32");
        Run r = run("logits", model.toString(), "--tokens", "34,105,110", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        float[] ours = Reference.floats(out);
        float[] expected = Reference.floats("rwkv.cpp/tests/expected-logits-7v0-834K.bin");
        assertEquals(3 * 256, ours.length);
        assertTrue(Reference.maxAbsDiff(ours, 512, expected, 0, 256) <= 1e-5);
    }

    @Test
    void infoJsonCountsEveryParameter() throws Exception {
        Path model = Reference.file("rwkv.cpp/tests/tiny-rwkv-5v2-730K-FP32.bin");
        Run r = run("info", model.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        long sum = 0;
        for (JsonNode c : j.get("components")) sum += c.get("parameters").asLong();
        assertEquals(731_904, sum, "the reference README's parameter count of 5v2");
        assertEquals("V5_2", j.get("config").get("generation").asText());
    }

    @Test
    void badInputGivesOneLineNamingTheFile(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nothing-here.pth");
        Run r = run("generate", missing.toString(), "-p", "x");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nothing-here.pth"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());

        Path model = Reference.file("rwkv.cpp/tests/tiny-rwkv-7v0-834K-FP32.bin");
        Path recipe = dir.resolve("r.json");
        Files.writeString(recipe, "{\"lowRank\": {\"rule\": {\"fixed\": 1000}}}");
        Run c = run("compress", model.toString(), "--recipe", recipe.toString(), "-o", dir.resolve("o.safetensors").toString());
        assertEquals(2, c.code());
        assertTrue(c.err().contains("impossible rank 1000"), c.err());
        assertEquals(1, c.err().strip().lines().count(), c.err());
        assertFalse(Files.exists(dir.resolve("o.safetensors")));
    }
}
