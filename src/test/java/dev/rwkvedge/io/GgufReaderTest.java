package dev.rwkvedge.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Tensor;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GgufReaderTest {

    @Test
    void f32GgufEqualsRwkvCppFp32BitForBit() throws Exception {
        try (Checkpoint g = Checkpoints.open(Reference.file(Tensors.GGUF + "tiny-rwkv-7v0-834K-F32.gguf"));
             Checkpoint bin = Checkpoints.open(Reference.file(Tensors.TESTS + "tiny-rwkv-7v0-834K-FP32.bin"))) {
            assertEquals("gguf", g.format());
            Tensors.assertSameNamesAndShapes(bin.tensors(), g.tensors());
            for (Tensor t : bin.tensors().values()) assertTrue(Tensors.bytesEqual(t, g.require(t.name())), t.name());
            assertEquals("261", g.metadata().get("tokenizer.ggml.eot_token_id"));
            assertEquals("rwkv7", g.metadata().get("general.architecture"));
            assertTrue(g.groupNormEps().isEmpty());
            List<byte[]> tokens = g.vocabulary().orElseThrow().tokens();
            assertEquals(256, tokens.size());
            assertArrayEquals(new byte[] {'\n'}, tokens.get(10));
            assertArrayEquals(new byte[] {'\\'}, tokens.get(92));
            assertArrayEquals(new byte[] {(byte) 0x80}, tokens.get(128));
            assertArrayEquals(new byte[] {1}, tokens.get(1));
            assertArrayEquals(new byte[] {'\''}, tokens.get('\''));
        }
    }

    @ParameterizedTest
    @CsvSource({"7v0-834K-F16, F16, 1e-3", "7v0-834K-BF16, BF16, 0", "7v0-834K-Q8_0, Q8_0, 2.5e-3",
            "7v0-834K-F32-to-Q4_0, Q4_0, 0.05", "7v0-834K-F32-to-Q5_1, Q5_1, 0.02", "7v0-834K-F32-to-Q4_K_M, Q4_K, 0.05"})
    void compressedGgufIsCloseToF32AndEqualsItsDequantizedBlocks(String file, DType expect, double tol) throws Exception {
        Path p = Reference.file(Tensors.GGUF + "tiny-rwkv-" + file + ".gguf");
        try (Checkpoint g = Checkpoints.open(p);
             Checkpoint f = Checkpoints.open(Reference.file(Tensors.GGUF + "tiny-rwkv-7v0-834K-F32.gguf"));
             Arena arena = Arena.ofConfined()) {
            Map<String, Tensor> viaF32 = dequantizedFirst(p, arena, Generation.V7, 64);
            Tensors.assertSameNamesAndShapes(f.tensors(), g.tensors());
            double worst = 0;
            boolean sawExpected = false;
            for (Tensor t : f.tensors().values()) {
                Tensor q = g.require(t.name());
                sawExpected |= q.dtype() == expect;
                worst = Math.max(worst, Tensors.maxAbsDiff(t, q));
                assertEquals(0, Tensors.maxUlps(viaF32.get(t.name()), q), t.name());
            }
            System.out.printf("%s: max |diff| vs F32 %.3g%n", file, worst);
            assertTrue(sawExpected, "no " + expect + " tensor kept in " + file);
            assertTrue(worst <= tol, file + " max diff " + worst);
        }
    }

    /** Our own dequantization of every raw block, then the same name mapping: the reader must agree exactly. */
    private static Map<String, Tensor> dequantizedFirst(Path p, Arena arena, Generation gen, long headSize) throws Exception {
        GgufFile raw = GgufFile.parse(p, MappedFile.map(p, arena));
        List<Tensor> widened = new ArrayList<>();
        for (Tensor t : raw.tensors()) widened.add(Tensor.ofFloats(t.name(), t.toFloats(), t.shape()));
        return RwkvCppLayout.toCanonical(GgufNames.toStored(widened, gen, headSize), gen);
    }

    /** GGUF v2 has v3's layout (v3 only added big-endian files), so a v2 header reads the same tensors. */
    @Test
    void version2HeaderOpens(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        byte[] b = java.nio.file.Files.readAllBytes(Reference.file(Tensors.GGUF + "tiny-rwkv-7v0-834K-Q8_0.gguf"));
        Corrupt.le(b).putInt(4, 2);
        try (Checkpoint c = Checkpoints.open(Corrupt.write(dir, "v2.gguf", b))) {
            assertEquals(399, c.tensors().size()); // 339 stored tensors, x_rwkvag split into six mixes
            assertEquals("2", c.metadata().get("gguf.version"));
        }
    }

    /** Both are quantizations of the same dequantized Q5_1 weights: Q8_0 of them stays within its rounding step. */
    @Test
    void v6Q80GgufIsCloseToTheQ51Bin() throws Exception {
        try (Checkpoint g = Checkpoints.open(Reference.file(Tensors.GGUF + "tiny-rwkv-6v0-3m-Q5_1-dequant-Q8_0.gguf"));
             Checkpoint bin = Checkpoints.open(Reference.file(Tensors.TESTS + "tiny-rwkv-6v0-3m-Q5_1.bin"))) {
            Tensors.assertSameNamesAndShapes(bin.tensors(), g.tensors());
            double worst = 0;
            int q8 = 0;
            for (Tensor t : bin.tensors().values()) {
                Tensor q = g.require(t.name());
                if (q.dtype() == DType.Q8_0) q8++;
                else assertEquals(0, Tensors.maxUlps(t, q), t.name());
                worst = Math.max(worst, Tensors.maxAbsDiff(t, q));
            }
            System.out.printf("6v0 GGUF Q8_0 vs rwkv.cpp Q5_1: %d Q8_0 tensors, max |diff| %.3g%n", q8, worst);
            assertTrue(q8 > 0);
            assertTrue(worst < 0.01, "max diff " + worst);
            assertEquals("0", g.metadata().get("rwkv6.rescale_every_n_layers"));
        }
    }
}
