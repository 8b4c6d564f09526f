package dev.rwkvedge.tokenizer;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns generated tokens into text as they arrive. A token may end in the middle of a UTF-8 character (World byte
 * tokens, byte-level models), so the bytes of an unfinished character are held back until the tokens that complete
 * it arrive; bytes that can no longer become a valid character come out as U+FFFD at once. Not thread-safe.
 */
public final class TokenDecoder {
    private final Tokenizer tokenizer;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    /** In write mode between calls; holds at most the three bytes of an unfinished character. */
    private ByteBuffer pending = ByteBuffer.allocate(64);

    public TokenDecoder(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Adds one token and returns the text it completes (possibly empty). */
    public String accept(int id) {
        return tokenizer.isControl(id) ? "" : acceptBytes(tokenizer.tokenBytes(id));
    }

    /** Adds raw bytes and returns the text they complete (possibly empty). */
    public String acceptBytes(byte[] bytes) {
        if (pending.remaining() < bytes.length) {
            ByteBuffer larger = ByteBuffer.allocate(pending.position() + bytes.length + 64);
            pending.flip();
            larger.put(pending);
            pending = larger;
        }
        pending.put(bytes);
        return drain(false);
    }

    /** Whether bytes of an unfinished character are being held back. */
    public boolean hasPending() {
        return pending.position() > 0;
    }

    /** Ends the stream: returns what was held back, an unfinished character as U+FFFD, and starts afresh. */
    public String flush() {
        String rest = drain(true);
        utf8.reset();
        return rest;
    }

    private String drain(boolean endOfInput) {
        pending.flip();
        // Each byte yields at most one char (a 4-byte character gives two); the slack lets the decoder see room.
        CharBuffer out = CharBuffer.allocate(pending.remaining() + 2);
        utf8.decode(pending, out, endOfInput);
        if (endOfInput) utf8.flush(out);
        pending.compact();
        return out.flip().toString();
    }
}
