package dev.rwkvedge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalDataTest {
    @TempDir
    Path dir;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(EvalDataTest.class.getResource("/eval/" + name).toURI());
    }

    @Test
    void lastWordPassagesSplitAtTheLastSpace() throws Exception {
        List<LastWordItem> items = EvalData.lastWord(resource("lastword.jsonl"));
        assertEquals(List.of(new LastWordItem("the cat sat on the", " mat"),
                new LastWordItem("and then there was", " light"),
                new LastWordItem("to be or not to", " be")), items);
    }

    @Test
    void multipleChoiceAcceptsTheHarnessSpellings() throws Exception {
        List<ChoiceItem> items = EvalData.multipleChoice(resource("choice-variants.jsonl"));
        assertEquals(new ChoiceItem("The sky is", List.of(" green", " blue"), 1), items.get(0));
        assertEquals(new ChoiceItem("Q: 2 + 2 =", List.of("4", "5", "22"), 0), items.get(1)); // letter
        assertEquals(new ChoiceItem("She opened the door and", List.of("walked in.", "flew away."), 0), items.get(2));
        assertEquals(0, items.get(3).gold()); // the answer's text
        assertEquals(0, items.get(4).gold());
        assertEquals(" walked in.", MultipleChoice.joined(items.get(2).context(), "walked in."));
        assertEquals(" wet", MultipleChoice.joined(items.get(4).context(), " wet"));
    }

    /** The error of reading these bytes as a last-word file. */
    private EvalDataException lastWordError(byte[] content) throws IOException {
        Path f = Files.write(dir.resolve("bad.jsonl"), content);
        return assertThrows(EvalDataException.class, () -> EvalData.lastWord(f));
    }

    private EvalDataException lastWordError(String content) throws IOException {
        return lastWordError(content.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aMalformedLineNamesTheFileTheLineAndTheFormat() throws IOException {
        Path f = dir.resolve("bad.jsonl");
        EvalDataException e = lastWordError("{\"text\": \"one two\"}\n\n{\"text\": \"one two\"\n");
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith(f + ", line 3: not valid JSON"), e.getMessage());
        assertTrue(e.getMessage().endsWith("expected " + EvalData.LASTWORD_FORMAT), e.getMessage());

        e = lastWordError("{\"passage\": \"one two\"}\n");
        assertEquals(f + ", line 1: no field text; expected " + EvalData.LASTWORD_FORMAT, e.getMessage());

        e = lastWordError("{\"text\": \"single\"}\n");
        assertTrue(e.getMessage().contains("at least two space-separated words"), e.getMessage());
    }

    @Test
    void malformedChoiceLinesAreRejected() throws IOException {
        Path f = dir.resolve("choice.jsonl");
        for (String line : List.of("{\"context\": \"c\", \"choices\": [\" a\", \" b\"], \"gold\": 2}",
                "{\"context\": \"c\", \"choices\": [\" a\", \" b\"], \"gold\": \"maybe\"}",
                "{\"context\": \"c\", \"choices\": \" a\", \"gold\": 0}",
                "{\"context\": \"c\", \"options\": [\" a\", \" b\"], \"gold\": 0}",
                "{\"context\": \" \", \"choices\": [\" a\", \" b\"], \"gold\": 0}",
                "[1, 2]")) {
            Files.writeString(f, "{\"context\": \"c\", \"choices\": [\" a\", \" b\"], \"gold\": 0}\n" + line + "\n");
            EvalDataException e = assertThrows(EvalDataException.class, () -> EvalData.multipleChoice(f), line);
            assertEquals(2, e.line());
            assertTrue(e.getMessage().endsWith("expected " + EvalData.CHOICE_FORMAT), e.getMessage());
        }
    }

    @Test
    void trailingTextAndInvalidUtf8AreErrorsAndAByteOrderMarkIsNot() throws IOException {
        EvalDataException e = lastWordError("\uFEFF{\"text\": \"one two\"}\n{\"text\": \"one two\"} {\"text\": \"x y\"}\n");
        assertEquals(2, e.line());
        // CRLF line ends are fine; byte 0xff on line 3 is not UTF-8
        e = lastWordError("{\"text\": \"one two\"}\r\n{\"text\": \"a b\"}\n\u00ff\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(dir.resolve("bad.jsonl") + ", line 3: not UTF-8 text", e.getMessage());
    }

    @Test
    void anEmptyFileIsAnError() throws IOException {
        Path f = Files.writeString(dir.resolve("empty.jsonl"), "\n\n");
        assertThrows(EvalDataException.class, () -> EvalData.multipleChoice(f));
    }
}
