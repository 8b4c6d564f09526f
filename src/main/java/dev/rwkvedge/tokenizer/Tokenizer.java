package dev.rwkvedge.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Maps text to token ids and back. Tokens are byte strings, not characters: one token may hold part of a UTF-8
 * character, so {@link #decodeBytes} is the exact inverse of {@link #encode(byte[])} while {@link #decode} may
 * have to replace a split character with U+FFFD. Streaming output should use {@link #streamDecoder()}.
 */
public interface Tokenizer {

    /** Encodes the UTF-8 bytes of the text. */
    default int[] encode(String text) {
        return encode(text.getBytes(StandardCharsets.UTF_8));
    }

    int[] encode(byte[] utf8);

    /** The bytes of the tokens, in order; control tokens (end of text, {@code <s>}) contribute nothing. */
    default byte[] decodeBytes(int... ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            if (!isControl(id)) out.writeBytes(tokenBytes(id));
        }
        return out.toByteArray();
    }

    /** The decoded text; bytes that do not form valid UTF-8 become U+FFFD. */
    default String decode(int... ids) {
        return new String(decodeBytes(ids), StandardCharsets.UTF_8);
    }

    /** One more than the highest id the tokenizer knows; ids below it may still be unassigned. */
    int vocabularySize();

    /**
     * The bytes a token stands for (for a control token, its name as stored, which decoding leaves out).
     *
     * @throws IllegalArgumentException for an id that has no token
     */
    byte[] tokenBytes(int id);

    /** Whether the id is a control token, which is never produced by encoding and decodes to nothing. */
    default boolean isControl(int id) {
        return false;
    }

    String name();

    /** A fresh decoder for text generated one token at a time. */
    default TokenDecoder streamDecoder() {
        return new TokenDecoder(this);
    }
}
