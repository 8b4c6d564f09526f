package dev.rwkvedge.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.io.ModelFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Project vocabularies in the World format, and the errors a malformed file gives. */
class WorldVocabularyFileTest {
    @TempDir
    Path dir;

    /** Like the sample model's: ids 1..256 the bytes, then merged tokens up to 4096 entries. */
    private WorldTokenizer projectVocabulary() throws IOException {
        List<String> lines = new ArrayList<>(VocabularyFiles.byteLines(1));
        String[] merges = {"th", "the", " the", "he", "ing", "  ", "é", "一天", "😀"};
        int id = 257;
        for (String m : merges) lines.add(VocabularyFiles.line(id++, m));
        while (id <= 4096) lines.add(VocabularyFiles.line(id, "w" + id++));
        lines.add("4097 ' a b ' 5");
        lines.add("4098 b'\\xf0\\x9f' 2");
        return WorldTokenizer.load(VocabularyFiles.write(dir, "project-vocab.txt", lines));
    }

    @Test
    void projectVocabularyEncodesGreedily() throws IOException {
        WorldTokenizer t = projectVocabulary();
        assertEquals(4099, t.vocabularySize());
        assertArrayEquals(new int[] {259, 259}, t.encode(" the the"));
        assertArrayEquals(new int[] {258, 'y' + 1}, t.encode("they"));
        assertArrayEquals(new int[] {262, 'x' + 1}, t.encode("  x"));
        assertArrayEquals(new int[] {263, 263, 264, 265}, t.encode("éé一天😀"));
        assertArrayEquals(new int[] {4098, 0x98 + 1, 0x81 + 1}, t.encode("😁"), "a bytes-literal token");
        assertArrayEquals(new int[] {4097}, t.encode(" a b "), "a literal holding spaces");
        assertArrayEquals(new int[] {1}, t.encode(new byte[] {0}));
        assertEquals("w4000the", t.decode(4000, 258));
    }

    @Test
    void crlfLineEndsAndBlankLinesAreAccepted() throws IOException {
        Path file = dir.resolve("crlf.txt");
        Files.writeString(file, "1 'a' 1\r\n2 'b' 1\r\n\r\n3 'ab' 2\r\n", StandardCharsets.UTF_8);
        WorldTokenizer t = WorldTokenizer.load(file);
        assertArrayEquals(new int[] {3, 1}, t.encode("aba"));
    }

    @Test
    void aByteWithoutTokenIsAClearError() throws IOException {
        Path file = VocabularyFiles.write(dir, "tiny.txt", List.of("1 'a' 1"));
        WorldTokenizer t = WorldTokenizer.load(file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.encode("ab"));
        assertTrue(e.getMessage().contains("0x62 at offset 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.decode(7));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "3 'abc' 2 | token 3 is 3 bytes but the line says 2",
        "3 'a' | is not '<id> <literal> <byte length>'",
        "3 'a'  | is not '<id> <literal> <byte length>'",
        "x 'a' 1 | id 'x' is not a non-negative integer",
        "3 'a' one | byte length 'one' is not a non-negative integer",
        "-3 'a' 1 | id '-3' is not a non-negative integer",
        "3 abc 3 | does not start with a quote",
        "3 'a 2 | does not end with '",
        "3 '' 0 | token 3 is empty",
        "0 'a' 1 | id 0 is reserved",
        "1 'b' 1 | id 1 appears twice",
        "3 b'é' 2 | non-ASCII character in bytes literal",
        "3 '\\xZZ' 1 | bad hex digit",
    })
    void malformedLinesNameFileAndLine(String caseText) throws IOException {
        String[] parts = caseText.split(" \\| ");
        Path file = VocabularyFiles.write(dir, "broken-vocab.txt", List.of("1 'a' 1", "2 'b' 1", parts[0]));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> WorldTokenizer.load(file));
        assertTrue(e.getMessage().startsWith(file + ": line 3: "), e.getMessage());
        assertTrue(e.getMessage().contains(parts[1]), e.getMessage());
    }

    @Test
    void invalidUtf8IsReportedWithItsLine() throws IOException {
        Path file = dir.resolve("latin1.txt");
        Files.write(file, new byte[] {'1', ' ', '\'', 'a', '\'', ' ', '1', '\n', '2', ' ', '\'', (byte) 0xe9, '\'', ' ', '1'});
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> WorldTokenizer.load(file));
        assertEquals(file + ": line 2: is not valid UTF-8", e.getMessage());
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        Path file = VocabularyFiles.write(dir, "empty.txt", List.of());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> WorldTokenizer.load(file));
        assertTrue(e.getMessage().contains("holds no tokens"));
    }
}
