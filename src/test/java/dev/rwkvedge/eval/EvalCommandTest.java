package dev.rwkvedge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rwkvedge.Reference;
import dev.rwkvedge.cli.StudioCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The eval command end to end on rwkv.cpp's tiny model: several tasks in one run, JSON out, clear errors. */
class EvalCommandTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private static Run studio(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = StudioCommand.run(args);
            return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void severalTasksInOneRunAsJson() throws Exception {
        String model = Reference.file("rwkv.cpp/tests/tiny-rwkv-5v2-730K-FP32.bin").toString();
        Path text = Files.writeString(dir.resolve("text.txt"), "And God said, Let there be light: and there was light.");
        Path passages = Files.writeString(dir.resolve("p.jsonl"), "{\"text\": \"Let there be light\"}\n");
        Run r = studio("eval", model, "--task", "perplexity,lastword", "--task", "agreement", "--data", text.toString(),
                "--data", passages.toString(), "--data", text.toString(), "--reference", model, "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode results = new ObjectMapper().readTree(r.out()).get("results");
        assertEquals(3, results.size());
        assertEquals("perplexity", results.get(0).get("task").asText());
        assertEquals(text.toFile().length() - 1, results.get(0).get("metrics").get("scored_tokens").asLong());
        assertEquals(1, results.get(1).get("items").asInt());
        assertEquals(0.0, results.get(2).get("metrics").get("mean_kl").asDouble());
        assertTrue(results.get(2).get("tokens_per_second").asDouble() > 0);
    }

    @Test
    void agreementWithoutAReferenceIsAOneLineError() throws Exception {
        String model = Reference.file("rwkv.cpp/tests/tiny-rwkv-5v2-730K-FP32.bin").toString();
        Run r = studio("eval", model, "--task", "agreement");
        assertEquals(2, r.exit());
        assertEquals("error: --task agreement needs --reference MODEL; see 'studio eval --help'", r.err().strip());
    }
}
