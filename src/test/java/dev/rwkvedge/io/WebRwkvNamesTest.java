package dev.rwkvedge.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ai00's convert_safetensors.py, re-enacted: every tensor to F16, time_faaaa -> time_first, time_maa -> time_mix, and
 * the LoRA / maa matrices transposed. Reading the result must give back BlinkDL's names, shapes and (F16) values.
 */
class WebRwkvNamesTest {
    @TempDir
    Path dir;

    private static final List<String> TRANSPOSED = List.of("time_mix_w1", "time_mix_w2", "time_decay_w1", "time_decay_w2",
            "w1", "w2", "a1", "a2", "g1", "g2", "v1", "v2");

    @ParameterizedTest
    @ValueSource(strings = {"7v0-834K-f32.pth", "6v0-3m-Q5_1-dequant-f32.pth", "5v2-730K-f32.pth"})
    void ai00StFilesMapBackToBlinkDl(String file) throws Exception {
        try (Checkpoint src = Checkpoints.open(Reference.file(Tensors.BLINKDL + "tiny-rwkv-" + file))) {
            Map<String, Tensor> half = new LinkedHashMap<>();
            Map<String, Tensor> st = new LinkedHashMap<>();
            for (Tensor t : src.tensors().values()) {
                Tensor h = f16(t);
                half.put(t.name(), h);
                String n = t.name().replace("time_faaaa", "time_first").replace("time_maa", "time_mix");
                boolean swap = TRANSPOSED.stream().anyMatch(n::contains);
                st.put(n, swap ? TensorOps.swapLastTwo(h, n) : h.withName(n));
            }
            Path p = dir.resolve("model.st");
            SafetensorsWriter.write(p, st, Map.of("format", "pt"));
            try (Checkpoint back = Checkpoints.open(p)) {
                WriterRoundTripTest.assertIdentical(half, back.tensors());
                assertTrue(back.tensors().values().stream().allMatch(t -> t.dtype() == DType.F16));
            }
            assertEquals(src.tensors().size(), st.size());
        }
    }

    private static Tensor f16(Tensor t) {
        float[] v = t.toFloats();
        short[] h = new short[v.length];
        for (int i = 0; i < v.length; i++) h[i] = Float.floatToFloat16(v[i]);
        return new Tensor(t.name(), DType.F16, t.shape(), MemorySegment.ofArray(h));
    }
}
