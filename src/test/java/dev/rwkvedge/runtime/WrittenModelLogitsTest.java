package dev.rwkvedge.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.rwkvedge.Reference;
import dev.rwkvedge.io.GgufWriter;
import dev.rwkvedge.io.PthWriter;
import dev.rwkvedge.io.SafetensorsWriter;
import dev.rwkvedge.model.LoadedModel;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A reference model written by our own writers loads back to bit-identical logits. */
class WrittenModelLogitsTest {
    @ParameterizedTest
    @ValueSource(strings = {"model.safetensors", "model.gguf", "model.pth"})
    void ownWritersRoundTripToIdenticalLogits(String name, @TempDir Path dir) throws Exception {
        Path src = Reference.file("derived/blinkdl/tiny-rwkv-7v0-834K-f32.pth");
        try (LoadedModel m = LoadedModel.open(src)) {
            float[] expected = m.model().forwardSequence(ReferenceLogitsTest.PROMPT_70, m.model().newState(), true);
            Path out = dir.resolve(name);
            var tensors = m.checkpoint().tensors();
            if (name.endsWith(".safetensors")) SafetensorsWriter.write(out, tensors, Map.of());
            else if (name.endsWith(".gguf")) GgufWriter.write(out, tensors, "tiny-rwkv-7v0", java.util.Optional.empty());
            else PthWriter.write(out, tensors);
            try (LoadedModel back = LoadedModel.open(out)) {
                assertArrayEquals(expected, back.model().forwardSequence(ReferenceLogitsTest.PROMPT_70,
                        back.model().newState(), true), name);
            }
        }
    }
}
