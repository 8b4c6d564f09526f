package dev.rwkvedge.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ByteTokenizerTest {
    private final ByteTokenizer bytes = new ByteTokenizer();

    @Test
    void tokenIdIsTheByteValue() {
        assertArrayEquals(new int[] {34, 105, 110}, bytes.encode("\"in"), "rwkv.cpp's test prompt");
        assertArrayEquals(new int[] {0, 0xc3, 0xa9, 0xff}, bytes.encode(new byte[] {0, (byte) 0xc3, (byte) 0xa9, -1}));
        assertEquals(256, bytes.vocabularySize());
        assertArrayEquals(new byte[] {(byte) 200}, bytes.tokenBytes(200));
    }

    @Test
    void decodingIsExact() {
        String text = "héllo 😀\u0000";
        assertEquals(text, bytes.decode(bytes.encode(text)));
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), bytes.decodeBytes(bytes.encode(text)));
        assertEquals("\uFFFD", bytes.decode(0xff), "a byte that is not UTF-8");
    }

    @Test
    void idsOutsideTheVocabularyAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> bytes.decode(256));
        assertThrows(IllegalArgumentException.class, () -> bytes.tokenBytes(-1));
    }
}
