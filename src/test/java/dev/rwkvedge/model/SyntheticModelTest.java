package dev.rwkvedge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticModelTest {
    /** Two layers at a small width, so every check runs in milliseconds. */
    static final SyntheticModel.Shape SMALL = new SyntheticModel.Shape("small", 2, 128, 64, 512, 256, 32, 32, 32, 32);

    @Test
    void namesAPublishedShapeAndAStorageType() {
        SyntheticModel.Shape s = SyntheticModel.shape("rwkv7-1.5b:f16");
        assertEquals(24, s.layers());
        assertEquals(2048, s.embd());
        assertEquals(65536, s.vocab());
        assertEquals(DType.F16, s.type());
        assertEquals(DType.Q8_0, SyntheticModel.shape("rwkv7-0.4b:Q8_0").type());
        assertEquals(DType.F32, SyntheticModel.shape("rwkv7-0.1b").type());
        var e = assertThrows(IllegalArgumentException.class, () -> SyntheticModel.shape("rwkv7-0.1b:q4_k"));
        assertTrue(e.getMessage().contains("f16"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SyntheticModel.shape("rwkv7-3b"));
    }

    @Test
    void f16IsTheF32ModelRoundedToHalfAndQ8HasTheScaleOfAUniformMatrix() throws Exception {
        try (Checkpoint f32 = SyntheticModel.rwkv7(SMALL, 5); Checkpoint f16 = SyntheticModel.rwkv7(SMALL.in(DType.F16), 5);
             Checkpoint q8 = SyntheticModel.rwkv7(SMALL.in(DType.Q8_0), 5)) {
            float[] a = f32.require("blocks.1.ffn.key.weight").toFloats();
            Tensor h = f16.require("blocks.1.ffn.key.weight");
            assertEquals(DType.F16, h.dtype());
            float[] b = h.toFloats();
            for (int i = 0; i < a.length; i++) assertEquals(Float.float16ToFloat(Float.floatToFloat16(a[i])), b[i], 0f);
            // uniform in [-a, a] with a = sqrt(3 / cols): standard deviation 1 / sqrt(cols), mean 0
            for (float[] v : new float[][] {a, q8.require("blocks.1.ffn.key.weight").toFloats()}) {
                double sum = 0, sq = 0, bound = Math.sqrt(3.0 / 128) * 1.001;
                for (float x : v) {
                    assertTrue(Math.abs(x) <= bound, x + " outside the uniform range");
                    sum += x;
                    sq += x * x;
                }
                double mean = sum / v.length, std = Math.sqrt(sq / v.length - mean * mean);
                assertEquals(0, mean, 3e-3);
                assertEquals(1 / Math.sqrt(128), std, 0.02 / Math.sqrt(128));
            }
            // vectors stay F32 in every type
            assertEquals(DType.F32, q8.require("blocks.0.att.w0").dtype());
        }
    }

    @Test
    void theSameSeedGivesTheSameModelAndEveryTypeRuns() throws Exception {
        for (DType t : new DType[] {DType.F32, DType.F16, DType.Q8_0}) {
            float[] first = null;
            for (int rep = 0; rep < 2; rep++) {
                try (LoadedModel m = LoadedModel.of(SyntheticModel.rwkv7(SMALL.in(t), 9), null)) {
                    float[] logits = m.model().forwardSequence(new int[] {1, 2, 3, 200}, m.model().newState(), false);
                    for (float x : logits) assertTrue(Float.isFinite(x), t + ": " + x);
                    if (first == null) first = logits;
                    else org.junit.jupiter.api.Assertions.assertArrayEquals(first, logits, t.toString());
                }
            }
        }
    }

    @Test
    void theLayoutHasTheModelsTensorsWithoutTheirValues() throws Exception {
        try (Checkpoint full = SyntheticModel.rwkv7(SMALL.in(DType.Q8_0), 1);
             Checkpoint layout = SyntheticModel.layout(SMALL.in(DType.Q8_0))) {
            assertEquals(List.copyOf(full.tensors().keySet()), List.copyOf(layout.tensors().keySet()));
            for (Tensor t : full.tensors().values()) {
                Tensor l = layout.require(t.name());
                assertEquals(t.dtype(), l.dtype(), t.name());
                assertEquals(t.shapeString(), l.shapeString(), t.name());
                assertEquals(t.data().byteSize(), l.data().byteSize(), t.name());
            }
            ModelConfig a = ConfigDetector.detect(full), b = ConfigDetector.detect(layout);
            assertEquals(List.of(a.generation(), a.layers(), a.embd(), a.vocab(), a.ffn(), a.heads()),
                    List.of(b.generation(), b.layers(), b.embd(), b.vocab(), b.ffn(), b.heads()));
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.loraDims(), b.loraDims());
            // never written: the values of the large matrices read zero
            for (float v : layout.require("blocks.1.ffn.key.weight").toFloats()) assertEquals(0f, v);
        }
    }
}
