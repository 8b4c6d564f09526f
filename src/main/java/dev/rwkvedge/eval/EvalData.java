package dev.rwkvedge.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads evaluation data in the shapes lm-evaluation-harness data sets come in: JSON Lines for the item tasks (blank
 * lines skipped), plain UTF-8 text for perplexity. A line we cannot read fails the whole file with an
 * {@link EvalDataException} naming the file, the line and the expected format, rather than silently skewing a score.
 */
public final class EvalData {
    static final String LASTWORD_FORMAT = "a JSON object {\"text\": \"<passage ending in its final word>\"}";
    static final String CHOICE_FORMAT = "a JSON object with the context (\"query\", \"context\" or \"ctx\": a string), "
            + "the choices (\"choices\" or \"endings\": a list of strings) and the answer (\"gold\" or \"label\": "
            + "an index, a letter A, B, ... or the answer's text)";
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private EvalData() {}

    /** LAMBADA-style passages, {@code {"text": ...}} per line. */
    public static List<LastWordItem> lastWord(Path file) throws IOException {
        return jsonLines(file, LASTWORD_FORMAT, o -> LastWordItem.fromPassage(string(o, "text")));
    }

    /** Multiple-choice questions in any of the field spellings of {@link #CHOICE_FORMAT}. */
    public static List<ChoiceItem> multipleChoice(Path file) throws IOException {
        return jsonLines(file, CHOICE_FORMAT, EvalData::choiceItem);
    }

    /** A text file for perplexity, strictly UTF-8. */
    public static String text(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8 text", e);
        }
    }

    private static <T> List<T> jsonLines(Path file, String format, Function<JsonNode, T> item) throws IOException {
        List<T> items = new ArrayList<>();
        // lines are decoded one by one (not through a buffered reader) so a bad byte is reported at its own line
        byte[] bytes = Files.readAllBytes(file);
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
        int number = 0;
        for (int from = 0; from < bytes.length; ) {
            number++;
            int end = from;
            while (end < bytes.length && bytes[end] != '\n') end++;
            int to = end > from && bytes[end - 1] == '\r' ? end - 1 : end;
            String line;
            try {
                line = utf8.decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
            } catch (CharacterCodingException e) {
                throw new EvalDataException(file, number, "not UTF-8 text");
            }
            from = end + 1;
            if (number == 1 && line.startsWith("\uFEFF")) line = line.substring(1); // a byte order mark
            if (line.isBlank()) continue;
            JsonNode node;
            try {
                node = MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                throw new EvalDataException(file, number, "not valid JSON (" + e.getOriginalMessage() + "); expected " + format);
            }
            if (node == null || !node.isObject()) throw new EvalDataException(file, number, "expected " + format);
            try {
                items.add(item.apply(node));
            } catch (IllegalArgumentException e) {
                throw new EvalDataException(file, number, e.getMessage() + "; expected " + format);
            }
        }
        if (items.isEmpty()) throw new EvalDataException(file, 1, "no items; expected one per line, each " + format);
        return items;
    }

    private static ChoiceItem choiceItem(JsonNode o) {
        String context = string(o, "query", "context", "ctx");
        JsonNode list = field(o, "choices", "endings");
        if (!list.isArray()) throw new IllegalArgumentException("\"" + name(o, "choices", "endings") + "\" is not a list");
        List<String> choices = new ArrayList<>();
        for (JsonNode c : list) {
            if (!c.isTextual()) throw new IllegalArgumentException("a choice is not a string: " + c);
            choices.add(c.asText());
        }
        return new ChoiceItem(context, choices, gold(field(o, "gold", "label"), choices));
    }

    /** An index; or a string that is a choice's text, an index in digits, or a letter (A = 0). */
    private static int gold(JsonNode g, List<String> choices) {
        if (g.isIntegralNumber()) {
            // asInt() would wrap 2^40 to 0, silently a valid answer
            if (!g.canConvertToInt()) throw new IllegalArgumentException("the answer index " + g + " is not one of the "
                    + choices.size() + " choices");
            return g.asInt();
        }
        if (!g.isTextual()) throw new IllegalArgumentException("the answer is neither an index nor a string: " + g);
        String s = g.asText().strip();
        for (int i = 0; i < choices.size(); i++) if (choices.get(i).strip().equals(s)) return i;
        if (s.matches("\\d{1,6}")) return Integer.parseInt(s);
        if (s.length() == 1 && s.charAt(0) >= 'A' && s.charAt(0) <= 'Z') return s.charAt(0) - 'A';
        throw new IllegalArgumentException("the answer \"" + s + "\" is not an index, a letter or one of the choices");
    }

    private static String string(JsonNode o, String... names) {
        JsonNode v = field(o, names);
        if (!v.isTextual()) throw new IllegalArgumentException("\"" + name(o, names) + "\" is not a string");
        return v.asText();
    }

    private static JsonNode field(JsonNode o, String... names) {
        for (String n : names) if (o.hasNonNull(n)) return o.get(n);
        throw new IllegalArgumentException("no field " + String.join(" or ", names));
    }

    private static String name(JsonNode o, String... names) {
        for (String n : names) if (o.hasNonNull(n)) return n;
        return names[0];
    }
}
