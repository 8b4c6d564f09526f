package dev.rwkvedge.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PythonLiteralTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void strLiteralsBecomeTheirUtf8() {
        assertArrayEquals(utf8("abc"), PythonLiteral.toBytes("'abc'"));
        assertArrayEquals(utf8(" a b "), PythonLiteral.toBytes("' a b '"));
        assertArrayEquals(utf8("'"), PythonLiteral.toBytes("\"'\""));
        assertArrayEquals(utf8("\" '"), PythonLiteral.toBytes("'\" \\''"));
        assertArrayEquals(utf8("一"), PythonLiteral.toBytes("'一'"));
        assertArrayEquals(new byte[0], PythonLiteral.toBytes("''"));
    }

    @Test
    void strEscapesAreCodePoints() {
        // In a str, \x80 is U+0080, which UTF-8 writes as two bytes.
        assertArrayEquals(new byte[] {(byte) 0xc2, (byte) 0x80}, PythonLiteral.toBytes("'\\x80'"));
        assertArrayEquals(new byte[] {0}, PythonLiteral.toBytes("'\\x00'"));
        assertArrayEquals(utf8("\n\t\r\\"), PythonLiteral.toBytes("'\\n\\t\\r\\\\'"));
        assertArrayEquals(utf8("\u2002"), PythonLiteral.toBytes("'\\u2002'"));
        assertArrayEquals(utf8("😀"), PythonLiteral.toBytes("'\\U0001F600'"));
        assertArrayEquals(new byte[] {0, 7, 8, 11, 12, 0x53}, PythonLiteral.toBytes("'\\0\\a\\b\\v\\f\\123'"));
        assertArrayEquals(utf8("\\q"), PythonLiteral.toBytes("'\\q'"), "unknown escapes keep the backslash");
    }

    @Test
    void bytesEscapesAreRawBytes() {
        assertArrayEquals(new byte[] {(byte) 0xe5, (byte) 0xbd}, PythonLiteral.toBytes("b'\\xe5\\xbd'"));
        assertArrayEquals(new byte[] {'a', '\'', (byte) 0xff}, PythonLiteral.toBytes("b'a\\'\\xff'"));
        assertArrayEquals(utf8("\\u00e9"), PythonLiteral.toBytes("b'\\u00e9'"), "no \\u escape in bytes");
    }

    @Test
    void malformedLiteralsAreRejectedWithTheReason() {
        assertMessage("'abc", "does not end with");
        assertMessage("abc", "does not start with a quote");
        assertMessage("'", "too short");
        assertMessage("'a'b'", "unescaped");
        assertMessage("'\\x4'", "truncated escape");
        assertMessage("'\\xzz'", "bad hex digit");
        assertMessage("'a\\'", "lone backslash");
        assertMessage("b'é'", "non-ASCII");
        assertMessage("'\\ud800'", "not a character");
        assertMessage("b'\\777'", "octal");
    }

    private static void assertMessage(String literal, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PythonLiteral.toBytes(literal));
        assertTrue(e.getMessage().contains(expected), literal + " -> " + e.getMessage());
    }
}
