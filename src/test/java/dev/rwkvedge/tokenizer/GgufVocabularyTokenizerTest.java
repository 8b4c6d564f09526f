package dev.rwkvedge.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rwkvedge.Reference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The 256-token vocabulary that llama.cpp's converter embeds in the tiny-model GGUF files (reference README §8.1). */
class GgufVocabularyTokenizerTest {
    private static final String SAMPLE = "a\\b\n\tc'é\u007f\u0001";
    private static final int[] SAMPLE_IDS = {97, 92, 98, 10, 9, 99, 39, 195, 169, 127, 1};

    /** id 0 {@code <s>} control, ids 1..255 the bytes 1..255. */
    static GgufVocabularyTokenizer tinyModelVocabulary() {
        List<byte[]> tokens = new ArrayList<>();
        tokens.add("<s>".getBytes(StandardCharsets.UTF_8));
        for (int b = 1; b < 256; b++) tokens.add(new byte[] {(byte) b});
        return new GgufVocabularyTokenizer(tokens, Set.of(0));
    }

    /** The converter's {@code repr(bytes)[2:-1]} of one byte (README §8.3). */
    static String converterEscape(int b) {
        return switch (b) {
            case '\\' -> "\\\\";
            case '\t' -> "\\t";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            default -> b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b);
        };
    }

    @Test
    void encodesTextToItsBytes() {
        GgufVocabularyTokenizer t = tinyModelVocabulary();
        assertArrayEquals(SAMPLE_IDS, t.encode(SAMPLE));
        assertEquals(SAMPLE, t.decode(SAMPLE_IDS));
        assertEquals(256, t.vocabularySize());
    }

    @Test
    void controlTokenIsNeverMatchedAndDecodesToNothing() {
        GgufVocabularyTokenizer t = tinyModelVocabulary();
        assertArrayEquals(new int[] {'<', 's', '>'}, t.encode("<s>"));
        assertEquals("ab", t.decode('a', 0, 'b'));
        assertTrue(t.isControl(0));
        assertFalse(t.isControl(1));
        assertArrayEquals("<s>".getBytes(StandardCharsets.UTF_8), t.tokenBytes(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.encode(new byte[] {'a', 0}));
        assertTrue(e.getMessage().contains("0x00 at offset 1"), e.getMessage());
    }

    @Test
    void escapedStringsAreUnescapedAsLlamaCppDoes() {
        List<String> escaped = new ArrayList<>();
        int[] types = new int[256];
        escaped.add("<s>");
        types[0] = GgufVocabularyTokenizer.TYPE_CONTROL;
        for (int b = 1; b < 256; b++) {
            escaped.add(converterEscape(b));
            types[b] = 1;
        }
        assertEquals("\\x01", escaped.get(1));
        assertEquals("\\\\", escaped.get(92));
        GgufVocabularyTokenizer t = GgufVocabularyTokenizer.fromGguf("escaped", escaped, types);
        for (int b = 1; b < 256; b++) assertArrayEquals(new byte[] {(byte) b}, t.tokenBytes(b), "byte " + b);
        assertArrayEquals(SAMPLE_IDS, t.encode(SAMPLE));
        assertArrayEquals(new byte[] {'q'}, GgufVocabularyTokenizer.unescape("\\q"));
        assertArrayEquals("é".getBytes(StandardCharsets.UTF_8), GgufVocabularyTokenizer.unescape("é"));
    }

    @Test
    void vocabularyOfARealGgufFileMatchesLlamaCppsTokens() throws IOException {
        GgufTokenArrays arrays = GgufTokenArrays.read(Reference.file("derived/gguf/tiny-rwkv-7v0-834K-F32.gguf"));
        GgufVocabularyTokenizer t = GgufVocabularyTokenizer.fromGguf("tiny 7v0", arrays.tokens(), arrays.tokenTypes());
        assertEquals(256, t.vocabularySize());
        for (int b = 1; b < 256; b++) assertArrayEquals(new byte[] {(byte) b}, t.tokenBytes(b), "byte " + b);
        assertArrayEquals(SAMPLE_IDS, t.encode(SAMPLE));
        JsonNode sequences = new ObjectMapper()
                .readTree(Reference.file("derived/gguf/sequences.json").toFile()).get("sequences");
        for (JsonNode s : sequences) {
            int[] ids = new int[s.get("ids").size()];
            for (int i = 0; i < ids.length; i++) ids[i] = s.get("ids").get(i).asInt();
            byte[] utf8 = HexFormat.of().parseHex(s.get("utf8_hex").asText());
            assertArrayEquals(ids, t.encode(utf8));
            assertArrayEquals(utf8, t.decodeBytes(ids));
        }
    }

    @Test
    void rejectsInconsistentInput() {
        assertThrows(IllegalArgumentException.class,
                () -> new GgufVocabularyTokenizer(List.of(new byte[] {1}), Set.of(3)));
        assertThrows(IllegalArgumentException.class,
                () -> GgufVocabularyTokenizer.fromGguf("x", List.of("a", "b"), new int[] {1}));
    }
}
