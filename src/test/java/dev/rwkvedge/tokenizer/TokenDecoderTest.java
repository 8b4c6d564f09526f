package dev.rwkvedge.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenDecoderTest {
    private final ByteTokenizer bytes = new ByteTokenizer();

    /** What the decoder returns for each byte token of the input, then for flush. */
    private List<String> pieces(byte[] input) {
        TokenDecoder d = bytes.streamDecoder();
        List<String> out = new ArrayList<>();
        for (byte b : input) out.add(d.accept(b & 0xff));
        out.add(d.flush());
        return out;
    }

    @Test
    void emojiSplitOverFourByteTokensComesOutWhole() {
        byte[] emoji = "a😀b".getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("a", "", "", "", "😀", "b", ""), pieces(emoji));
    }

    @Test
    void twoAndThreeByteCharactersWaitForTheirLastByte() {
        assertEquals(List.of("", "é", "", "", "一", ""), pieces("é一".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void invalidBytesBecomeReplacementCharactersAsSoonAsTheyAreCertain() {
        // A lone continuation byte cannot start a character: replaced at once.
        assertEquals(List.of("a", "\uFFFD", "b", ""), pieces(new byte[] {'a', (byte) 0x80, 'b'}));
        // A lead byte followed by ASCII: the lead byte is replaced when the ASCII arrives.
        assertEquals(List.of("", "\uFFFDx", ""), pieces(new byte[] {(byte) 0xe4, 'x'}));
        // 0xFF is never valid.
        assertEquals(List.of("\uFFFD", ""), pieces(new byte[] {(byte) 0xff}));
    }

    @Test
    void flushReplacesAnUnfinishedCharacter() {
        TokenDecoder d = bytes.streamDecoder();
        assertEquals("ok", d.acceptBytes("ok".getBytes(StandardCharsets.UTF_8)));
        assertEquals("", d.accept(0xf0));
        assertEquals("", d.accept(0x9f));
        assertTrue(d.hasPending());
        assertEquals("\uFFFD", d.flush());
        assertFalse(d.hasPending());
        assertEquals("z", d.accept('z'), "usable again after flush");
    }

    @Test
    void multiByteTokensThatSplitCharactersAreJoined() {
        // World tokens such as b'\xe5\xbd' carry part of a character.
        List<byte[]> tokens = List.of("<s>".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xf0, (byte) 0x9f}, new byte[] {(byte) 0x98, (byte) 0x80, 'h', 'i'});
        GgufVocabularyTokenizer t = new GgufVocabularyTokenizer(tokens, Set.of(0));
        TokenDecoder d = t.streamDecoder();
        assertEquals("", d.accept(1));
        assertEquals("", d.accept(0), "a control token adds nothing");
        assertEquals("😀hi", d.accept(2));
        assertEquals("", d.flush());
    }

    @Test
    void largeTokensGrowTheBuffer() {
        TokenDecoder d = bytes.streamDecoder();
        String big = "ж".repeat(500);
        assertEquals(big, d.acceptBytes(big.getBytes(StandardCharsets.UTF_8)));
    }
}
