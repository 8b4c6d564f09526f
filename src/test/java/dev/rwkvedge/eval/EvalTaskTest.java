package dev.rwkvedge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rwkvedge.task.ProgressListener;
import dev.rwkvedge.tokenizer.ByteTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared entry point: task names, data files, limits, and results as JSON. */
class EvalTaskTest {
    private static final ByteTokenizer BYTES = new ByteTokenizer();

    @TempDir
    Path dir;

    private static EvalTask.Settings settings(Path data, int limit) {
        return new EvalTask.Settings(data, limit, Perplexity.Segmentation.STREAM);
    }

    @Test
    void tasksAreFoundByNameAndAnUnknownOneListsTheKnown() {
        assertEquals(EvalTask.LASTWORD, EvalTask.of("LastWord"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EvalTask.of("lambada"));
        assertTrue(e.getMessage().contains("[lastword, choice, perplexity, agreement]"), e.getMessage());
    }

    @Test
    void limitsCountItemsOrTokens() throws Exception {
        Path passages = Files.writeString(dir.resolve("p.jsonl"),
                "{\"text\": \"a b\"}\n{\"text\": \"c d\"}\n{\"text\": \"e f\"}\n");
        FixtureModel uniform = FixtureModel.uniform(256);
        EvalResult lw = EvalTask.LASTWORD.run(uniform, BYTES, settings(passages, 2), null, ProgressListener.NONE);
        assertEquals(2, lw.items());
        Path text = Files.writeString(dir.resolve("t.txt"), "z".repeat(100));
        EvalResult ppl = EvalTask.PERPLEXITY.run(uniform, BYTES, settings(text, 10), null, ProgressListener.NONE);
        assertEquals(9, ppl.metric("scored_tokens"));
        EvalResult agree = EvalTask.AGREEMENT.run(uniform, BYTES, settings(text, 0), uniform, ProgressListener.NONE);
        assertEquals(100, agree.metric("positions"));
        assertThrows(IllegalArgumentException.class,
                () -> EvalTask.AGREEMENT.run(uniform, BYTES, settings(text, 0), null, ProgressListener.NONE));
    }

    @Test
    void aMissingDataFileIsNamed() {
        Path missing = dir.resolve("nowhere.jsonl");
        IOException e = assertThrows(IOException.class, () -> EvalTask.CHOICE.run(FixtureModel.uniform(256), BYTES,
                settings(missing, 0), null, ProgressListener.NONE));
        assertEquals("no data file " + missing, e.getMessage());
    }

    @Test
    void resultsSerialiseWithJackson() throws Exception {
        EvalResult r = new EvalResult("perplexity", Map.of("perplexity", 9.5), 4, "windows", 200, 0.5, 400);
        JsonNode j = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(List.of(r)));
        assertEquals(9.5, j.get(0).get("metrics").get("perplexity").asDouble());
        assertEquals(400, j.get(0).get("tokens_per_second").asDouble());
        assertEquals("perplexity", j.get(0).get("task").asText());
        String table = EvalResult.table(List.of(r));
        assertTrue(table.contains("4 windows, 200 tokens in 0.50 s: 400.0 tokens/s"), table);
    }
}
