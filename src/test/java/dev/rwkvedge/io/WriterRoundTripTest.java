package dev.rwkvedge.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Tensor;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WriterRoundTripTest {
    @TempDir
    Path dir;

    private static Checkpoint blinkdl(String file) throws Exception {
        return Checkpoints.open(Reference.file(Tensors.BLINKDL + "tiny-rwkv-" + file));
    }

    /** Names, shapes, dtypes and bytes all equal. */
    static void assertIdentical(Map<String, Tensor> want, Map<String, Tensor> got) {
        Tensors.assertSameNamesAndShapes(want, got);
        for (Tensor t : want.values()) assertNull(TensorOps.difference(t, got.get(t.name())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5v2-730K-f32.pth", "7v0-834K-f32.pth", "7v0-834K-bf16.pth", "5v2-730K-f16.pth", "6v0-3m-Q5_1-dequant-f32.pth"})
    void safetensorsAndPthRoundTrip(String file) throws Exception {
        try (Checkpoint src = blinkdl(file)) {
            Path st = dir.resolve("m.safetensors");
            SafetensorsWriter.write(st, src.tensors(), Map.of("format", "pt", "source", file));
            try (Checkpoint back = Checkpoints.open(st)) {
                assertIdentical(src.tensors(), back.tensors());
                assertEquals("pt", back.metadata().get("format"));
            }
            Path pth = dir.resolve("m.pth");
            PthWriter.write(pth, src.tensors());
            try (Checkpoint back = Checkpoints.open(pth)) {
                assertIdentical(src.tensors(), back.tensors());
                // storages start on 64-byte file offsets, as torch.save writes them (the mapping is page-aligned)
                for (Tensor t : back.tensors().values()) assertEquals(0, t.data().address() % ZipWriter.ALIGNMENT, t.name());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"4v0-660K-f32.pth", "5v1-730K-nogate-headdecay-f32.pth", "5v2-730K-f32.pth", "7v0-834K-f32.pth",
            "6v0-3m-Q5_1-dequant-f32.pth"})
    void rwkvCppRoundTrip(String file) throws Exception {
        try (Checkpoint src = blinkdl(file)) {
            Path bin = dir.resolve("m.bin");
            RwkvCppWriter.write(bin, src.tensors(), DType.F32);
            try (Checkpoint back = Checkpoints.open(bin)) {
                assertIdentical(src.tensors(), back.tensors());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"7v0-834K-f32.pth", "7v0-834K-bf16.pth", "6v0-3m-Q5_1-dequant-f32.pth"})
    void ggufRoundTrip(String file) throws Exception {
        try (Checkpoint src = blinkdl(file)) {
            Path gguf = dir.resolve("m.gguf");
            GgufWriter.write(gguf, src.tensors(), "round trip", Optional.empty());
            try (Checkpoint back = Checkpoints.open(gguf)) {
                assertIdentical(src.tensors(), back.tensors());
                assertEquals("no_vocab", back.metadata().get("tokenizer.ggml.model"));
            }
        }
    }

    @Test
    void ggufRejectsV5() throws Exception {
        try (Checkpoint src = blinkdl("5v2-730K-f32.pth")) {
            var e = assertThrows(IllegalArgumentException.class, () -> GgufWriter.write(dir.resolve("m.gguf"), src.tensors(), "x", Optional.empty()));
            assertTrue(e.getMessage().contains("v5.2"), e.getMessage());
        }
    }

    /** README §9.3: rwkv.cpp's converter turns the f32 .pth back into the upstream file; ours must too. */
    @ParameterizedTest
    @CsvSource({"7v0-834K-f32.pth, tiny-rwkv-7v0-834K-FP32.bin, F32", "5v2-730K-f32.pth, tiny-rwkv-5v2-730K-FP32.bin, F32",
            "5v1-730K-nogate-headdecay-f32.pth, tiny-rwkv-5v1-730K-FP32.bin, F32", "4v0-660K-f32.pth, tiny-rwkv-4v0-660K-FP32.bin, F32",
            "7v0-834K-f32.pth, tiny-rwkv-7v0-834K-FP16.bin, F16", "5v2-730K-f32.pth, tiny-rwkv-5v2-730K-FP16.bin, F16",
            "5v1-730K-nogate-headdecay-f32.pth, tiny-rwkv-5v1-730K-FP16.bin, F16", "4v0-660K-f32.pth, tiny-rwkv-4v0-660K-FP16.bin, F16"})
    void rwkvCppOutputMatchesUpstreamFile(String pth, String upstream, DType type) throws Exception {
        assertSameApartFromVersion(pth, Reference.file(Tensors.TESTS + upstream), type);
    }

    /** Our Q8_0 quantizer is ggml's reference one: the same bytes as rwkv.cpp's quantizer output. */
    @Test
    void rwkvCppQ80MatchesRwkvCppQuantizer() throws Exception {
        assertSameApartFromVersion("7v0-834K-f32.pth", Reference.file("derived/rwkv.cpp-quantized/tiny-rwkv-7v0-834K-FP32-to-Q8_0.bin"), DType.Q8_0);
    }

    /** The SHA-256 that rwkv.cpp's quantizer output has for each model's FP32 file (README §4). */
    @ParameterizedTest
    @CsvSource({"4v0-660K-f32.pth, tiny-rwkv-4v0-660K-FP32-to-Q8_0.bin", "5v1-730K-nogate-headdecay-f32.pth, tiny-rwkv-5v1-730K-FP32-to-Q8_0.bin",
            "5v2-730K-f32.pth, tiny-rwkv-5v2-730K-FP32-to-Q8_0.bin", "7v0-834K-f32.pth, tiny-rwkv-7v0-834K-FP32-to-Q8_0.bin"})
    void rwkvCppQ80HasTheQuantizersChecksum(String pth, String quantized) throws Exception {
        String sums = Files.readString(Reference.file("derived/rwkv.cpp-quantized/SHA256SUMS-rwkv.cpp-quantizer-outputs.txt"));
        String want = sums.lines().filter(l -> l.endsWith("  " + quantized)).findFirst().orElseThrow().substring(0, 64);
        try (Checkpoint src = blinkdl(pth)) {
            Path bin = dir.resolve("m.bin");
            RwkvCppWriter.write(bin, src.tensors(), DType.Q8_0);
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(bin));
            assertEquals(want, java.util.HexFormat.of().formatHex(digest));
        }
    }

    private void assertSameApartFromVersion(String pth, Path upstream, DType type) throws Exception {
        try (Checkpoint src = blinkdl(pth)) {
            Path bin = dir.resolve("m.bin");
            RwkvCppWriter.write(bin, src.tensors(), type);
            byte[] ours = Files.readAllBytes(bin);
            byte[] theirs = Files.readAllBytes(upstream);
            int theirVersion = theirs[4] & 0xff | (theirs[5] & 0xff) << 8;
            if (theirVersion == 100) { // 4v0's upstream file predates version 101; the content is the same
                theirs[4] = (byte) 101;
            }
            assertEquals(theirs.length, ours.length);
            assertEquals(-1, java.util.Arrays.mismatch(theirs, ours), "first differing byte");
        }
    }

    /** Tensor data must equal llama.cpp's own converter output; KV differences are listed, not failed. */
    @Test
    void ggufMatchesLlamaCppConverterTensors() throws Exception {
        Path ref = Reference.file(Tensors.GGUF + "tiny-rwkv-7v0-834K-F32.gguf");
        Path ours = dir.resolve("ours.gguf");
        try (Checkpoint llama = Checkpoints.open(ref); Checkpoint src = blinkdl("7v0-834K-f32.pth")) {
            GgufWriter.write(ours, src.tensors(), llama.metadata().get("general.name"), llama.vocabulary());
        }
        try (Arena arena = Arena.ofConfined()) {
            GgufFile a = GgufFile.parse(ref, MappedFile.map(ref, arena));
            GgufFile b = GgufFile.parse(ours, MappedFile.map(ours, arena));
            Map<String, Tensor> want = new TreeMap<>();
            a.tensors().forEach(t -> want.put(t.name(), t));
            Map<String, Tensor> got = new TreeMap<>();
            b.tensors().forEach(t -> got.put(t.name(), t));
            assertEquals(342, got.size());
            assertIdentical(want, got);
            TreeSet<String> keys = new TreeSet<>(a.kv().keySet());
            keys.addAll(b.kv().keySet());
            for (String k : keys) {
                String x = a.kv().containsKey(k) ? GgufReader.describe(a.kv().get(k)) : "(absent)";
                String y = b.kv().containsKey(k) ? GgufReader.describe(b.kv().get(k)) : "(absent)";
                if (!x.equals(y)) System.out.println("KV difference " + k + ": llama.cpp " + abbreviate(x) + " / ours " + abbreviate(y));
            }
            assertArrayEquals(
                    ((GgufFile.Array) a.kv().get("tokenizer.ggml.tokens")).values().toArray(),
                    ((GgufFile.Array) b.kv().get("tokenizer.ggml.tokens")).values().toArray());
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
