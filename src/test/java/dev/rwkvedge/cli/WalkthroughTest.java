package dev.rwkvedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every command of the README's command-line walkthrough, read from README.md itself, in order, so the README
 * cannot drift from the code. Files the walkthrough creates go to a temporary folder; options that bound the work are
 * set small where the command has one. In-process, through the same entry point as {@code ./studio COMMAND}.
 */
class WalkthroughTest {
    private static final String SECTION = "## A walkthrough on the command line";
    private static final Set<String> OUTPUT_OPTIONS = Set.of("-o", "--out", "--dense", "--csv");

    /** Per command: options that keep the test to seconds; a value replaces the README's own. */
    private static final Map<String, List<String>> SMALL = Map.of(
            "generate", List.of("-n", "8"),
            "analyze", List.of("--max-tokens", "128", "--no-cache"),
            "eval", List.of("--limit", "4"),
            "compress", List.of("--calibration-tokens", "256"),
            // two of the grid's recipes (the whole grid is still read and checked): each recipe costs a compression
            "sweep", List.of("--only", "dense,edge", "--limit", "4", "--calibration-tokens", "256", "--decode-tokens", "8"),
            "bench", List.of("--tokens", "8", "--runs", "1", "--seconds", "0"));

    @Test
    void everyCommandRunsAsWritten(@TempDir Path dir) throws Exception {
        List<List<String>> commands = walkthrough(Files.readString(Path.of("README.md")));
        assertTrue(commands.size() >= 8, "the walkthrough lost its commands: " + commands);
        for (List<String> written : commands) {
            List<String> args = new ArrayList<>();
            List<Path> outputs = new ArrayList<>();
            for (int i = 0; i < written.size(); i++) {
                String a = written.get(i);
                // a file the walkthrough itself creates (or reads back later) lives in the temporary folder
                if (a.matches("[A-Za-z][\\w-]*\\.[a-z0-9]+") && !Files.exists(Path.of(a))) a = dir.resolve(a).toString();
                if (i > 0 && OUTPUT_OPTIONS.contains(written.get(i - 1))) outputs.add(Path.of(a));
                args.add(a);
            }
            small(args, SMALL.getOrDefault(args.getFirst(), List.of()));
            CommandLineTest.Run r = CommandLineTest.run(args.toArray(String[]::new));
            assertEquals(0, r.code(), "./studio " + String.join(" ", written) + "\n" + r.err());
            assertFalse(r.out().isBlank() && r.err().isBlank(), "no output from " + written);
            for (Path out : outputs) assertTrue(Files.size(out) > 0, out + " was not written by " + written);
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "a temporary file was left");
        }
    }

    /** The lines of the section's first code block that start with ./studio, as arguments after ./studio. */
    static List<List<String>> walkthrough(String readme) {
        int at = readme.indexOf(SECTION);
        assertTrue(at >= 0, "README.md has no section '" + SECTION + "'");
        int open = readme.indexOf("```", at);
        int close = readme.indexOf("```", open + 3);
        List<List<String>> commands = new ArrayList<>();
        for (String line : readme.substring(readme.indexOf('\n', open) + 1, close).split("\n")) {
            List<String> words = shellWords(line);
            if (words.size() > 1 && words.getFirst().equals("./studio")) commands.add(words.subList(1, words.size()));
        }
        return commands;
    }

    /** Splits like a shell does for these lines: blanks separate, double quotes group, an unquoted # starts a comment. */
    static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = null;
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (quoted) {
                if (c == '"') quoted = false;
                else w.append(c);
            } else if (c == '"') {
                quoted = true;
                if (w == null) w = new StringBuilder();
            } else if (c == '#' && w == null) {
                break;
            } else if (Character.isWhitespace(c)) {
                if (w != null) words.add(w.toString());
                w = null;
            } else {
                if (w == null) w = new StringBuilder();
                w.append(c);
            }
        }
        if (w != null) words.add(w.toString());
        return words;
    }

    /** Sets each option: replaces the value the README gives, or appends it. */
    private static void small(List<String> args, List<String> options) {
        for (int i = 0; i < options.size(); i++) {
            String name = options.get(i);
            boolean hasValue = i + 1 < options.size() && !options.get(i + 1).startsWith("-");
            int at = args.indexOf(name);
            if (at >= 0 && hasValue) args.set(at + 1, options.get(i + 1));
            else if (at < 0) {
                args.add(name);
                if (hasValue) args.add(options.get(i + 1));
            }
            if (hasValue) i++;
        }
    }
}
