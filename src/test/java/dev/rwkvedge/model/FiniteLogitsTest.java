package dev.rwkvedge.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The logits check and the weight scan behind it; the whole path on a damaged real file is in HostileFileTest. */
class FiniteLogitsTest {
    @Test
    void findsEveryKindOfNonFiniteValueAtAnyPosition() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            for (int at : new int[] {0, 3, 4, 9, 10}) {
                float[] v = new float[11];
                for (int i = 0; i < v.length; i++) v[i] = (i - 5) * 1e37f; // large but finite
                assertTrue(FiniteLogits.finite(v, v.length));
                v[at] = bad;
                assertFalse(FiniteLogits.finite(v, v.length), bad + " at " + at);
            }
        }
    }

    @Test
    void withEveryWeightFiniteTheLargestIsNamed() {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("a", Tensor.ofFloats("a", new float[] {1, -2, 3}, 3));
        t.put("b", Tensor.ofFloats("b", new float[] {0, -3e38f}, 2));
        Checkpoint ck = new Checkpoint(Path.of("m.safetensors"), "safetensors", t, Map.of(), Optional.empty(), Optional.empty(), null);
        String msg = FiniteLogits.damage(ck).getMessage();
        assertTrue(msg.startsWith("m.safetensors: ") && msg.contains("the largest, 3.0E38, is in tensor b"), msg);
        t.put("c", Tensor.ofFloats("c", new float[] {1, Float.NaN}, 2));
        ck = new Checkpoint(Path.of("m.safetensors"), "safetensors", t, Map.of(), Optional.empty(), Optional.empty(), null);
        msg = FiniteLogits.damage(ck).getMessage();
        assertTrue(msg.contains("tensor c holds NaN at element 1"), msg);
    }
}
