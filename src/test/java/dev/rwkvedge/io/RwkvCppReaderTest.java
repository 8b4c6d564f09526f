package dev.rwkvedge.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Tensor;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RwkvCppReaderTest {

    /** README §9.3: the f32 .pth holds the float32 nearest the exact inverse, so every value must match bit for bit. */
    @ParameterizedTest
    @CsvSource({"4v0-660K, 4v0-660K-f32.pth, V4", "5v1-730K, 5v1-730K-nogate-headdecay-f32.pth, V5_1",
            "5v2-730K, 5v2-730K-f32.pth, V5_2", "7v0-834K, 7v0-834K-f32.pth, V7"})
    void fp32BinEqualsBlinkDlPth(String model, String pth, Generation gen) throws Exception {
        try (Checkpoint bin = Checkpoints.open(Reference.file(Tensors.TESTS + "tiny-rwkv-" + model + "-FP32.bin"));
             Checkpoint ref = Checkpoints.open(Reference.file(Tensors.BLINKDL + "tiny-rwkv-" + pth))) {
            assertEquals("rwkv.cpp", bin.format());
            assertEquals(gen.name(), bin.metadata().get("generation"));
            assertEquals(gen.isV5() ? Optional.of(1e-5f) : Optional.empty(), bin.groupNormEps());
            Tensors.assertSameNamesAndShapes(ref.tensors(), bin.tensors());
            for (Tensor want : ref.tensors().values()) {
                Tensor got = bin.require(want.name());
                assertEquals(DType.F32, got.dtype(), want.name());
                assertEquals(0, Tensors.maxUlps(want, got), want.name());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"4v0-660K-FP16", "4v0-660K-Q5_0", "4v0-660K-Q5_1", "5v1-730K-FP16", "5v1-730K-Q5_0",
            "5v1-730K-Q5_1", "5v2-730K-FP16", "5v2-730K-Q5_0", "5v2-730K-Q5_1", "7v0-834K-FP16", "7v0-834K-Q5_0",
            "7v0-834K-Q5_1"})
    void compressedBinsAreCloseToFp32(String file) throws Exception {
        String model = file.substring(0, file.lastIndexOf('-'));
        assertCloseToFp32(Tensors.TESTS + "tiny-rwkv-" + file + ".bin", model, file.endsWith("FP16") ? 2e-3 : 0.05);
    }

    @ParameterizedTest
    @CsvSource({"Q4_0, 0.1", "Q4_1, 0.1", "Q8_0, 0.01"})
    void rwkvCppQuantizerOutputsAreCloseToFp32(String type, double tol) throws Exception {
        assertCloseToFp32("derived/rwkv.cpp-quantized/tiny-rwkv-7v0-834K-FP32-to-" + type + ".bin", "7v0-834K", tol);
    }

    private static void assertCloseToFp32(String rel, String model, double tol) throws Exception {
        try (Checkpoint q = Checkpoints.open(Reference.file(rel));
             Checkpoint f = Checkpoints.open(Reference.file(Tensors.TESTS + "tiny-rwkv-" + model + "-FP32.bin"))) {
            Tensors.assertSameNamesAndShapes(f.tensors(), q.tensors());
            double worst = 0;
            int quantized = 0;
            for (Tensor t : f.tensors().values()) {
                Tensor g = q.require(t.name());
                if (g.dtype().isBlockQuantized() || g.dtype() == DType.F16) quantized++;
                worst = Math.max(worst, Tensors.maxAbsDiff(t, g));
            }
            System.out.printf("%s: %d compressed tensors, max |diff| vs FP32 %.3g%n", rel, quantized, worst);
            assertTrue(quantized > 0, "no compressed tensors in " + rel);
            assertTrue(worst < tol, rel + " max diff " + worst);
        }
    }
}
