package dev.rwkvedge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rwkvedge.Reference;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.runtime.sampling.SamplerSettings;
import dev.rwkvedge.tokenizer.ByteTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratorTest {
    /** Greedy text from the generator equals the argmax chain of rwkv.cpp's own 70-token logits where they overlap. */
    @Test
    void greedyGenerationFollowsTheArgmaxOfTheReferenceLogits() throws Exception {
        float[] ref = Reference.floats("derived/rwkv.cpp-outputs/tiny-rwkv-5v2-730K-FP32.prompt70.logits.f32");
        int[] prompt = ReferenceLogitsTest.PROMPT_70;
        // rwkv.cpp's row t is the distribution after token t: its argmax is the greedy continuation of prompt[..t]
        int t = 20;
        int best = 0;
        for (int i = 1; i < 256; i++) if (ref[t * 256 + i] > ref[t * 256 + best]) best = i;
        String promptText = new String(java.util.Arrays.copyOf(toBytes(prompt), t + 1), java.nio.charset.StandardCharsets.ISO_8859_1);
        try (LoadedModel m = LoadedModel.open(Reference.file("rwkv.cpp/tests/tiny-rwkv-5v2-730K-FP32.bin"))) {
            StringBuilder streamed = new StringBuilder();
            Generator.Result r = new Generator(m.model(), new ByteTokenizer())
                    .generate(promptText, 1, SamplerSettings.greedy(), List.of(), streamed::append, () -> false);
            assertEquals(String.valueOf((char) best), r.text());
            assertEquals(r.text(), streamed.toString());
            assertEquals(Generator.Stop.MAX_TOKENS, r.stop());
        }
    }

    @Test
    void stopSequenceEndsGenerationAndIsNotEmitted() throws Exception {
        try (LoadedModel m = LoadedModel.open(Reference.file("rwkv.cpp/tests/tiny-rwkv-5v2-730K-FP32.bin"))) {
            Generator g = new Generator(m.model(), new ByteTokenizer());
            Generator.Result free = g.generate("The ", 40, SamplerSettings.greedy(), List.of(), s -> {}, () -> false);
            String stop = free.text().substring(5, 7);
            int at = free.text().indexOf(stop);
            Generator.Result cut = g.generate("The ", 40, SamplerSettings.greedy(), List.of(stop), s -> {}, () -> false);
            assertEquals(free.text().substring(0, at), cut.text());
            assertEquals(Generator.Stop.STOP_SEQUENCE, cut.stop());
            Generator.Result cancelled = g.generate("The ", 40, SamplerSettings.greedy(), List.of(), s -> {}, () -> true);
            assertEquals(0, cancelled.generatedTokens());
            assertEquals(Generator.Stop.CANCELLED, cancelled.stop());
        }
    }

    private static byte[] toBytes(int[] t) {
        byte[] b = new byte[t.length];
        for (int i = 0; i < t.length; i++) b[i] = (byte) t[i];
        return b;
    }
}
