package dev.rwkvedge.tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes small vocabularies in the World file format for tests. */
final class VocabularyFiles {
    private VocabularyFiles() {}

    /** The 256 single-byte lines as the World vocabulary writes them, with ids {@code firstId..firstId+255}. */
    static List<String> byteLines(int firstId) {
        List<String> lines = new ArrayList<>();
        for (int b = 0; b < 256; b++) lines.add((firstId + b) + " " + byteLiteral(b) + " 1");
        return lines;
    }

    static String byteLiteral(int b) {
        if (b >= 0x80) return String.format("b'\\x%02x'", b);
        return switch (b) {
            case '\'' -> "\"'\"";
            case '\\' -> "'\\\\'";
            case '\n' -> "'\\n'";
            case '\t' -> "'\\t'";
            case '\r' -> "'\\r'";
            default -> b >= 0x20 && b < 0x7f ? "'" + (char) b + "'" : String.format("'\\x%02x'", b);
        };
    }

    /** A str literal for plain text (no quotes, backslashes or control characters in it). */
    static String line(int id, String text) {
        return id + " '" + text + "' " + text.getBytes(StandardCharsets.UTF_8).length;
    }

    static Path write(Path dir, String name, List<String> lines) throws IOException {
        return Files.write(dir.resolve(name), lines, StandardCharsets.UTF_8);
    }
}
