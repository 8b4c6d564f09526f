package dev.rwkvedge.tokenizer;

import dev.rwkvedge.io.ModelFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a vocabulary in the RWKV World format ({@code rwkv_vocab_v20230424.txt}): one token a line written as
 * {@code <id> <python literal> <byte length>}. The literal may itself hold spaces, so it is the text between the first
 * and the last space. Every problem is reported with the file name and line number.
 */
final class WorldVocabularyReader {
    /** Guards the id array against a garbage id; real vocabularies stay far below it. */
    private static final int MAX_ID = 1 << 24;

    private final Path file;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[][] tokens = new byte[1024][];
    private int highestId;
    private int count;

    private WorldVocabularyReader(Path file) {
        this.file = file;
    }

    /** Token bytes indexed by id (id 0 and any id the file skips are null). */
    static byte[][] read(Path file) throws IOException {
        return new WorldVocabularyReader(file).readAll(Files.readAllBytes(file));
    }

    private byte[][] readAll(byte[] content) throws ModelFormatException {
        int lineStart = 0;
        int lineNumber = 0;
        while (lineStart < content.length) {
            int lineEnd = lineStart;
            while (lineEnd < content.length && content[lineEnd] != '\n') lineEnd++;
            lineNumber++;
            // Lines are split on LF bytes only: RWKV-LM ships a CRLF copy, and literals escape any CR they hold.
            int textEnd = lineEnd > lineStart && content[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            if (textEnd > lineStart) parseLine(decode(content, lineStart, textEnd, lineNumber), lineNumber);
            lineStart = lineEnd + 1;
        }
        if (count == 0) throw new ModelFormatException(file, "holds no tokens");
        return Arrays.copyOf(tokens, highestId + 1);
    }

    private String decode(byte[] content, int from, int to, int lineNumber) throws ModelFormatException {
        try {
            return utf8.decode(ByteBuffer.wrap(content, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            throw problem(lineNumber, "is not valid UTF-8");
        }
    }

    private void parseLine(String line, int lineNumber) throws ModelFormatException {
        int first = line.indexOf(' ');
        int last = line.lastIndexOf(' ');
        if (first <= 0 || last <= first + 1 || last == line.length() - 1) {
            throw problem(lineNumber, "is not '<id> <literal> <byte length>': " + abbreviate(line));
        }
        int id = number(line.substring(0, first), "id", lineNumber);
        int length = number(line.substring(last + 1), "byte length", lineNumber);
        byte[] token;
        try {
            token = PythonLiteral.toBytes(line.substring(first + 1, last));
        } catch (IllegalArgumentException e) {
            throw problem(lineNumber, e.getMessage());
        }
        if (token.length != length) {
            throw problem(lineNumber, "token " + id + " is " + token.length + " bytes but the line says " + length);
        }
        if (token.length == 0) throw problem(lineNumber, "token " + id + " is empty");
        store(id, token, lineNumber);
    }

    private void store(int id, byte[] token, int lineNumber) throws ModelFormatException {
        // Id 0 is end of text in every RWKV vocabulary; it never has bytes.
        if (id == 0) throw problem(lineNumber, "id 0 is reserved for end of text");
        if (id >= MAX_ID) throw problem(lineNumber, "id " + id + " is implausibly large");
        if (id >= tokens.length) tokens = Arrays.copyOf(tokens, Math.max(tokens.length * 2, id + 1));
        if (tokens[id] != null) throw problem(lineNumber, "id " + id + " appears twice");
        tokens[id] = token;
        highestId = Math.max(highestId, id);
        count++;
    }

    private int number(String field, String what, int lineNumber) throws ModelFormatException {
        try {
            int value = Integer.parseInt(field);
            if (value >= 0) return value;
        } catch (NumberFormatException e) {
            // reported below with the line
        }
        throw problem(lineNumber, what + " '" + abbreviate(field) + "' is not a non-negative integer");
    }

    private ModelFormatException problem(int lineNumber, String what) {
        return new ModelFormatException(file, "line " + lineNumber + ": " + what);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
