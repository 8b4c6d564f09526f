package dev.rwkvedge.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import dev.rwkvedge.model.LoadedModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our logits against rwkv.cpp's, llama.cpp's and an independent float64 implementation's, on the tiny trained models
 * of every generation in every format (see ../shared/reference/README.md).
 */
class ReferenceLogitsTest {
    static final int[] PROMPT_IN = {34, 105, 110};
    static final int[] PROMPT_70 = bytes("This is a port of [BlinkDL/RWKV-LM](https://github.com/BlinkDL/RWKV-LM");

    static int[] bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int[] t = new int[b.length];
        for (int i = 0; i < b.length; i++) t[i] = b[i] & 0xff;
        return t;
    }

    /** Logits after each token, fed one at a time. */
    static float[] serial(LoadedModel m, int[] tokens) {
        RwkvState st = m.model().newState();
        int V = m.config().vocab();
        float[] all = new float[tokens.length * V];
        for (int t = 0; t < tokens.length; t++) System.arraycopy(m.model().forward(tokens[t], st), 0, all, t * V, V);
        return all;
    }

    static void assertClose(float[] expected, float[] actual, float tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        float d = Reference.maxAbsDiff(expected, 0, actual, 0, expected.length);
        assertTrue(d <= tol, what + ": max |diff| " + d + " > " + tol);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4v0-660K", "5v1-730K", "5v2-730K", "7v0-834K"})
    void fp32MatchesRwkvCppExpectedLogits(String model) throws Exception {
        Path file = Reference.file("rwkv.cpp/tests/tiny-rwkv-" + model + "-FP32.bin");
        float[] expected = Reference.floats("rwkv.cpp/tests/expected-logits-" + model + ".bin");
        try (LoadedModel m = LoadedModel.open(file)) {
            float[] all = serial(m, PROMPT_IN);
            float[] last = java.util.Arrays.copyOfRange(all, 2 * 256, 3 * 256);
            assertClose(expected, last, 1e-5f, model + " FP32 vs rwkv.cpp expected logits");
            assertClose(Reference.floats("derived/rwkv.cpp-outputs/tiny-rwkv-" + model + "-FP32.prompt-in.logits.f32"),
                    all, 1e-5f, model + " all three rows");
        }
    }

    @ParameterizedTest
    @CsvSource({"4v0-660K,FP16", "4v0-660K,Q5_0", "4v0-660K,Q5_1", "5v1-730K,FP16", "5v1-730K,Q5_0", "5v1-730K,Q5_1",
            "5v2-730K,FP16", "5v2-730K,Q5_0", "5v2-730K,Q5_1", "7v0-834K,FP16", "7v0-834K,Q5_0", "7v0-834K,Q5_1",
            "6v0-3m,Q5_0", "6v0-3m,Q5_1"})
    void quantizedMatchDequantizedExact(String model, String type) throws Exception {
        String name = "tiny-rwkv-" + model + "-" + type;
        try (LoadedModel m = LoadedModel.open(Reference.file("rwkv.cpp/tests/" + name + ".bin"))) {
            float[] expected = Reference.floats("derived/rwkv.cpp-outputs/" + name + ".dequantized-exact.prompt-in.logits.f32");
            assertClose(expected, serial(m, PROMPT_IN), 1e-4f, name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"4v0-660K-FP32", "5v1-730K-FP32", "5v2-730K-FP32", "7v0-834K-FP32",
            "6v0-3m-Q5_0.dequantized-exact", "6v0-3m-Q5_1.dequantized-exact"})
    void seventyTokensStepByStepAndFinalState(String id) throws Exception {
        String file = id.replace(".dequantized-exact", "");
        try (LoadedModel m = LoadedModel.open(Reference.file("rwkv.cpp/tests/tiny-rwkv-" + file + ".bin"))) {
            String base = "derived/rwkv.cpp-outputs/tiny-rwkv-" + id + ".prompt70";
            RwkvState st = m.model().newState();
            int V = m.config().vocab();
            float[] all = new float[PROMPT_70.length * V];
            for (int t = 0; t < PROMPT_70.length; t++) {
                System.arraycopy(m.model().forward(PROMPT_70[t], st), 0, all, t * V, V);
            }
            assertClose(Reference.floats(base + ".logits.f32"), all, 1e-4f, id + " 70 rows of logits");
            assertClose(Reference.floats(base + ".state.f32"), st.toRwkvCppLayout(), 1e-4f, id + " final state");

            RwkvState seq = m.model().newState();
            float[] seqLogits = m.model().forwardSequence(PROMPT_70, seq, true);
            assertArrayEquals(all, seqLogits, id + ": sequence mode must equal serial mode bit for bit");
            assertArrayEquals(st.toRwkvCppLayout(), seq.toRwkvCppLayout(), id + ": sequence state");
            float[] lastOnly = m.model().forwardSequence(PROMPT_70, m.model().newState(), false);
            assertArrayEquals(java.util.Arrays.copyOfRange(all, all.length - V, all.length), lastOnly,
                    id + ": sequence mode's last row alone");
        }
    }

    @ParameterizedTest
    @CsvSource({"tiny-rwkv-4v0-660K-f32.pth,prompt-in,", "tiny-rwkv-5v1-730K-nogate-headdecay-f32.pth,gn64e-5.prompt-in,",
            "tiny-rwkv-5v1-730K-nogate-headdecay-f32.pth,gn1e-5.prompt-in,1e-5",
            "tiny-rwkv-5v2-730K-f32.pth,gn64e-5.prompt-in,", "tiny-rwkv-5v2-730K-f32.pth,gn1e-5.prompt-in,1e-5",
            "tiny-rwkv-5v2-730K-bf16.pth,gn64e-5.prompt-in,", "tiny-rwkv-5v2-730K-f16.pth,gn64e-5.prompt-in,",
            "tiny-rwkv-5v2-730K-f32.safetensors,gn64e-5.prompt-in,",
            "tiny-rwkv-6v0-3m-Q5_1-dequant-f32.pth,gn64e-5.prompt-in,",
            "tiny-rwkv-7v0-834K-f32.pth,gn64e-5.prompt-in,", "tiny-rwkv-7v0-834K-bf16.pth,gn64e-5.prompt-in,",
            "tiny-rwkv-7v0-834K-f16.pth,gn64e-5.prompt-in,", "tiny-rwkv-7v0-834K-f32.safetensors,gn64e-5.prompt-in,"})
    void blinkDlFilesMatchFloat64Reference(String file, String logits, Float eps) throws Exception {
        try (LoadedModel m = LoadedModel.open(Reference.file("derived/blinkdl/" + file), eps)) {
            float[] expected = Reference.floats("derived/blinkdl/" + file + "." + logits + ".logits.f32");
            assertClose(expected, serial(m, PROMPT_IN), 1e-5f, file + " " + logits);
        }
    }

    @ParameterizedTest
    @CsvSource({"tiny-rwkv-7v0-834K-F32,tiny-rwkv-7v0-834K-F32", "tiny-rwkv-7v0-834K-BF16,tiny-rwkv-7v0-834K-F32",
            "tiny-rwkv-7v0-834K-F16,tiny-rwkv-7v0-834K-F16.dequantized-exact",
            "tiny-rwkv-7v0-834K-Q8_0,tiny-rwkv-7v0-834K-Q8_0.dequantized-exact",
            "tiny-rwkv-7v0-834K-F32-to-Q4_0,tiny-rwkv-7v0-834K-F32-to-Q4_0.dequantized-exact",
            "tiny-rwkv-7v0-834K-F32-to-Q5_1,tiny-rwkv-7v0-834K-F32-to-Q5_1.dequantized-exact",
            "tiny-rwkv-7v0-834K-F32-to-Q4_K_M,tiny-rwkv-7v0-834K-F32-to-Q4_K_M.dequantized-exact",
            "tiny-rwkv-6v0-3m-Q5_1-dequant-Q8_0,tiny-rwkv-6v0-3m-Q5_1-dequant-Q8_0.dequantized-exact"})
    void ggufMatchesLlamaCpp(String file, String logits) throws Exception {
        try (LoadedModel m = LoadedModel.open(Reference.file("derived/gguf/" + file + ".gguf"))) {
            assertClose(Reference.floats("derived/gguf/" + logits + ".prompt-in.logits.f32"), serial(m, PROMPT_IN),
                    1e-4f, file + " prompt-in");
            assertClose(Reference.floats("derived/gguf/" + logits + ".prompt70.logits.f32"),
                    m.model().forwardSequence(PROMPT_70, m.model().newState(), true), 1e-4f, file + " prompt70");
        }
    }
}
