package dev.rwkvedge.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the Python string and bytes literals that the World vocabulary format stores ({@code 'a'}, {@code "'"},
 * {@code b'\xe5\xbd'}), following Python 3's escape rules, and returns the token's bytes: a str literal becomes its
 * UTF-8 encoding, a bytes literal its raw bytes.
 */
final class PythonLiteral {
    private final String literal;
    private final boolean bytes;
    private final char quote;
    private final int end;
    private int pos;

    private PythonLiteral(String literal) {
        this.literal = literal;
        this.bytes = literal.startsWith("b") || literal.startsWith("B");
        int open = bytes ? 1 : 0;
        if (literal.length() < open + 2) throw new IllegalArgumentException("literal " + literal + " is too short");
        this.quote = literal.charAt(open);
        if (quote != '\'' && quote != '"') {
            throw new IllegalArgumentException("literal " + literal + " does not start with a quote or b'");
        }
        this.end = literal.length() - 1;
        if (literal.charAt(end) != quote) {
            throw new IllegalArgumentException("literal " + literal + " does not end with " + quote);
        }
        this.pos = open + 1;
    }

    /** The bytes the literal stands for; IllegalArgumentException says what is wrong with a malformed one. */
    static byte[] toBytes(String literal) {
        return new PythonLiteral(literal).parse();
    }

    private byte[] parse() {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        StringBuilder text = new StringBuilder();
        while (pos < end) {
            char c = literal.charAt(pos++);
            if (c == quote) throw new IllegalArgumentException("unescaped " + quote + " inside literal " + literal);
            if (c != '\\') {
                if (bytes && c > 0x7f) {
                    throw new IllegalArgumentException("non-ASCII character in bytes literal " + literal);
                }
                append(c, raw, text);
            } else {
                escape(raw, text);
            }
        }
        return bytes ? raw.toByteArray() : text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void append(int value, ByteArrayOutputStream raw, StringBuilder text) {
        if (bytes) raw.write(value);
        else text.appendCodePoint(value);
    }

    private void escape(ByteArrayOutputStream raw, StringBuilder text) {
        if (pos >= end) throw new IllegalArgumentException("literal " + literal + " ends with a lone backslash");
        char c = literal.charAt(pos++);
        switch (c) {
            case '\\', '\'', '"' -> append(c, raw, text);
            case 'n' -> append('\n', raw, text);
            case 't' -> append('\t', raw, text);
            case 'r' -> append('\r', raw, text);
            case 'a' -> append(0x07, raw, text);
            case 'b' -> append(0x08, raw, text);
            case 'f' -> append(0x0c, raw, text);
            case 'v' -> append(0x0b, raw, text);
            case 'x' -> append(hex(2), raw, text);
            case '0', '1', '2', '3', '4', '5', '6', '7' -> append(octal(c), raw, text);
            case 'u', 'U' -> {
                if (bytes) {
                    // Python keeps unknown escapes in bytes literals as a backslash and the letter.
                    append('\\', raw, text);
                    append(c, raw, text);
                } else {
                    text.appendCodePoint(codePoint(hex(c == 'u' ? 4 : 8)));
                }
            }
            default -> {
                append('\\', raw, text);
                append(c, raw, text);
            }
        }
    }

    private int hex(int digits) {
        if (pos + digits > end) throw new IllegalArgumentException("truncated escape in literal " + literal);
        int value = 0;
        for (int i = 0; i < digits; i++) {
            int d = Character.digit(literal.charAt(pos++), 16);
            if (d < 0) throw new IllegalArgumentException("bad hex digit in escape in literal " + literal);
            value = value * 16 + d;
        }
        return value;
    }

    private int octal(char first) {
        int value = first - '0';
        for (int i = 1; i < 3 && pos < end && literal.charAt(pos) >= '0' && literal.charAt(pos) <= '7'; i++) {
            value = value * 8 + (literal.charAt(pos++) - '0');
        }
        if (bytes && value > 0xff) throw new IllegalArgumentException("octal escape above \\377 in " + literal);
        return value;
    }

    private int codePoint(int value) {
        // A surrogate escape would give a str that Python itself cannot encode as UTF-8.
        if (value > Character.MAX_CODE_POINT || (value >= 0xd800 && value <= 0xdfff)) {
            throw new IllegalArgumentException(String.format("escape U+%X in %s is not a character", value, literal));
        }
        return value;
    }
}
