package dev.rwkvedge.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.task.ProgressListener;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DenseReconstructionTest {
    @Test
    void reconstructionRunsIdenticallyFromPthSafetensorsAndRwkvCppBin(@TempDir Path dir) throws Exception {
        Path src = Reference.file("rwkv.cpp/tests/tiny-rwkv-7v0-834K-FP32.bin");
        Recipe recipe = Recipe.parse("""
                {"lowRank": {"method": "svd", "rule": {"ratio": 0.25}}, "int8": {"enabled": true}}""", "test");
        int[] probe = CompressedModelFileTest.bytes("Exported models run everywhere.");
        try (LoadedModel m = LoadedModel.open(src)) {
            Compressor.apply(m, recipe, null, ProgressListener.NONE);
            float[] compressed = m.model().forwardSequence(probe, m.model().newState(), true);
            float[] first = null;
            for (String name : new String[] {"dense.pth", "dense.safetensors", "dense.bin"}) {
                Path out = dir.resolve(name);
                DenseReconstruction.write(out, m);
                try (LoadedModel back = LoadedModel.open(out)) {
                    float[] logits = back.model().forwardSequence(probe, back.model().newState(), true);
                    if (first == null) first = logits;
                    else assertArrayEquals(first, logits, name + " gives the same logits as dense.pth");
                }
            }
            double max = 0;
            for (int i = 0; i < first.length; i++) max = Math.max(max, Math.abs(first[i] - compressed[i]));
            assertTrue(max < 1e-3, "multiplied-out factors compute what the factored model computes, max |diff| " + max);
        }
    }
}
