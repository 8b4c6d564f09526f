package dev.rwkvedge.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rwkvedge.io.Generation;
import dev.rwkvedge.tokenizer.Tokenizer;
import dev.rwkvedge.tokenizer.WorldTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bundled sample model against the numbers its own training script's forward pass wrote
 * (models-sample/fixtures/forward-check.json, tools/sample/write_fixture.py).
 */
class SampleModelTest {
    @Test
    void javaLogitsMatchTheTrainingScriptsForwardPass() throws Exception {
        Path model = SampleModel.locate().orElseThrow(() -> new AssertionError("no sample model in " + SampleModel.folder()));
        Path fixture = SampleModel.folder().resolve("fixtures/forward-check.json");
        Tokenizer tok = WorldTokenizer.load(SampleModel.folder().resolve("vocab.txt"));
        JsonNode cases = new ObjectMapper().readTree(Files.readString(fixture));
        assertTrue(cases.size() >= 3, "several prompts");
        try (LoadedModel m = LoadedModel.open(model)) {
            assertEquals(Generation.V7, m.config().generation());
            int V = m.config().vocab();
            double worst = 0;
            for (JsonNode c : cases) {
                int[] tokens = ints(c.get("tokens"));
                assertArrayEquals(tokens, tok.encode(c.get("prompt").asText()), "tokenization of " + c.get("prompt"));
                float[] all = m.model().forwardSequence(tokens, m.model().newState(), true);
                worst = Math.max(worst, maxDiff(c.get("logits_last"), all, (tokens.length - 1) * V));
                for (Iterator<Map.Entry<String, JsonNode>> it = c.get("logits_rows").fields(); it.hasNext(); ) {
                    var row = it.next();
                    worst = Math.max(worst, maxDiff(row.getValue(), all, Integer.parseInt(row.getKey()) * V));
                }
            }
            assertTrue(worst <= 1e-4, "max |diff| " + worst + " against the training script's logits");
        }
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asInt();
        return out;
    }

    private static double maxDiff(JsonNode expected, float[] actual, int off) {
        double d = 0;
        for (int i = 0; i < expected.size(); i++) d = Math.max(d, Math.abs(expected.get(i).asDouble() - actual[off + i]));
        return d;
    }
}
