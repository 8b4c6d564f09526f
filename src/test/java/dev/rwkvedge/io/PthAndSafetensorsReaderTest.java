package dev.rwkvedge.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Tensor;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PthAndSafetensorsReaderTest {

    @ParameterizedTest
    @ValueSource(strings = {"5v2-730K", "7v0-834K"})
    void pthAndSafetensorsHoldIdenticalTensors(String model) throws Exception {
        try (Checkpoint pth = Checkpoints.open(Reference.file(Tensors.BLINKDL + "tiny-rwkv-" + model + "-f32.pth"));
             Checkpoint st = Checkpoints.open(Reference.file(Tensors.BLINKDL + "tiny-rwkv-" + model + "-f32.safetensors"))) {
            assertEquals("pth", pth.format());
            assertEquals("safetensors", st.format());
            assertEquals("pt", st.metadata().get("format"));
            Tensors.assertSameNamesAndShapes(pth.tensors(), st.tensors());
            for (Tensor t : pth.tensors().values()) assertTrue(Tensors.bytesEqual(t, st.require(t.name())), t.name());
        }
    }

    /** bf16/f16 files: every tensor in that dtype, equal to the f32 value rounded to nearest even. */
    @ParameterizedTest
    @CsvSource({"5v2-730K, bf16, BF16", "5v2-730K, f16, F16", "7v0-834K, bf16, BF16", "7v0-834K, f16, F16"})
    void halfPrecisionPthIsTheF32FileRounded(String model, String suffix, DType dtype) throws Exception {
        try (Checkpoint half = Checkpoints.open(Reference.file(Tensors.BLINKDL + "tiny-rwkv-" + model + "-" + suffix + ".pth"));
             Checkpoint f32 = Checkpoints.open(Reference.file(Tensors.BLINKDL + "tiny-rwkv-" + model + "-f32.pth"))) {
            Tensors.assertSameNamesAndShapes(f32.tensors(), half.tensors());
            int changed = 0;
            for (Tensor t : f32.tensors().values()) {
                Tensor h = half.require(t.name());
                assertEquals(dtype, h.dtype(), t.name());
                float[] v = t.toFloats();
                short[] got = h.data().toArray(ValueLayout.JAVA_SHORT_UNALIGNED);
                for (int i = 0; i < v.length; i++) {
                    short want = dtype == DType.BF16 ? bf16(v[i]) : Float.floatToFloat16(v[i]);
                    assertEquals(want, got[i], t.name() + "[" + i + "]");
                }
                if (Tensors.maxAbsDiff(t, h) > 0) changed++;
            }
            System.out.printf("%s %s: %d of %d tensors differ from f32%n", model, suffix, changed, f32.tensors().size());
            if (model.startsWith("7v0") && dtype == DType.BF16) assertEquals(0, changed, "7v0 weights are bf16-representable");
        }
    }

    private static short bf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }

    @Test
    void digitReversalCheckpointKeepsItsOwnNames() throws Exception {
        try (Checkpoint c = Checkpoints.open(Reference.file("RWKV-LM/RWKV-v8/260123_reverse_L2_only_rwkv7.pth"))) {
            assertEquals(99, c.tensors().size());
            assertArrayEquals(new long[] {12, 32}, c.require("e.weight").shape());
            assertArrayEquals(new long[] {12}, c.require("o.bias").shape());
            assertArrayEquals(new long[] {32, 8}, c.require("rwkv1.w1").shape());
            assertArrayEquals(new long[] {2, 16}, c.require("rwkv2.r_k").shape());
            assertArrayEquals(new long[] {128, 32}, c.require("ffn1.key.weight").shape());
            long params = c.tensors().values().stream().mapToLong(Tensor::numel).sum();
            System.out.println("digit reversal: " + params + " parameters");
            for (Tensor t : c.tensors().values()) assertEquals(DType.F32, t.dtype());
        }
    }

    /** The v6 .pth is the exact dequantization of the Q5_1 file, so our v6 mapping must reproduce it exactly. */
    @Test
    void v6PthEqualsDequantizedQ51Bin() throws Exception {
        try (Checkpoint pth = Checkpoints.open(Reference.file(Tensors.BLINKDL + "tiny-rwkv-6v0-3m-Q5_1-dequant-f32.pth"));
             Checkpoint bin = Checkpoints.open(Reference.file(Tensors.TESTS + "tiny-rwkv-6v0-3m-Q5_1.bin"))) {
            assertEquals("V6", bin.metadata().get("generation"));
            Tensors.assertSameNamesAndShapes(pth.tensors(), bin.tensors());
            for (Tensor t : pth.tensors().values()) assertEquals(0, Tensors.maxUlps(t, bin.require(t.name())), t.name());
            for (String n : List.of("blocks.0.att.time_maa_w1", "blocks.0.att.time_maa_w2", "blocks.0.att.time_decay",
                    "blocks.0.att.time_decay_w1", "blocks.0.att.time_faaaa")) {
                System.out.println(n + " " + pth.require(n).shapeString());
            }
        }
    }
}
