package dev.rwkvedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One regression test per command-line defect of issue 12: each bad command line is refused before any work with
 * exit code 2 and one line that names the option or file, never a usage dump, a class name or a temporary name.
 */
class CommandLineErrorsTest {
    private static final String MODEL = "models-sample/rwkv7-kjv-5m.pth";

    @TempDir
    Path dir;

    /** Asserts a refusal: exit 2, one line mentioning {@code expected}, nothing written to the temporary folder. */
    private static CommandLineTest.Run refused(String expected, String... args) {
        CommandLineTest.Run r = CommandLineTest.run(args);
        String err = r.err().strip();
        assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.err());
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(err.startsWith("error: "), err);
        assertTrue(err.contains(expected), "'" + expected + "' in: " + err);
        assertFalse(err.contains("Exception") || err.contains(".tmp") || err.contains("\tat "), err);
        assertTrue(r.out().isEmpty(), "nothing on stdout: " + r.out());
        return r;
    }

    private void assertNothingWritten() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> !p.getFileName().toString().equals("r.json")
                    && !p.getFileName().toString().endsWith(".jsonl") && !p.getFileName().toString().equals("bad.pth")).toList());
        }
    }

    @Test
    void threadsOutsideOneToFourPerProcessor() {
        for (String n : List.of("0", "-1", "1000")) refused("invalid --threads:", "bench", MODEL, "--threads", n);
        String over = Integer.toString(4 * Runtime.getRuntime().availableProcessors() + 1);
        refused("outside 1.." + (4 * Runtime.getRuntime().availableProcessors()), "info", MODEL, "--threads", over);
    }

    @Test
    void countsMustBePositive() {
        refused("invalid --runs:", "bench", MODEL, "--runs", "0");
        refused("invalid --tokens:", "bench", MODEL, "--tokens", "0");
        refused("invalid --max-tokens:", "generate", MODEL, "-p", "x", "-n", "-1");
        refused("invalid --limit:", "eval", MODEL, "--task", "lastword", "--limit", "-1");
        // 0 used to mean "all", except for agreement, which silently scored 2,048 tokens
        refused("invalid --limit:", "eval", MODEL, "--task", "agreement", "--reference", MODEL, "--limit", "0");
        refused("invalid --max-tokens:", "analyze", MODEL, "--max-tokens", "0");
    }

    @Test
    void epsilonsAndProbabilitiesInRange() {
        refused("invalid --gn-eps:", "info", MODEL, "--gn-eps", "-1");
        refused("invalid --gn-eps:", "info", MODEL, "--gn-eps", "0");
        refused("invalid --gn-eps:", "info", MODEL, "--gn-eps", "NaN");
        refused("invalid --top-p:", "generate", MODEL, "-p", "x", "--top-p", "1.5");
        refused("invalid --temperature:", "generate", MODEL, "-p", "x", "--temperature", "-0.1");
    }

    @Test
    void malformedValueIsOneLineWithHintNotTheUsage() {
        CommandLineTest.Run r = refused("invalid --runs:", "bench", MODEL, "--runs", "three");
        assertTrue(r.err().contains("studio bench --help"), r.err());
        refused("Unknown option", "info", MODEL, "--no-such-option");
        refused("did you mean info", "infoo", MODEL);
        refused("unknown task", "eval", MODEL, "--task", "lastwrd");
    }

    @Test
    void outputNameMustMatchTheFormatWritten() throws Exception {
        Path recipe = intRecipe();
        refused("must end in .safetensors", "compress", MODEL, "--recipe", recipe.toString(), "-o", dir.resolve("out.gguf").toString());
        refused("must end in .pth, .safetensors, .bin", "compress", MODEL, "--recipe", recipe.toString(),
                "--dense", dir.resolve("out.gguf").toString());
        assertNothingWritten();
    }

    @Test
    void outputsMustBeDistinctAndNotAnInput() throws Exception {
        Path recipe = intRecipe();
        Path same = dir.resolve("same.safetensors");
        refused("name the same file", "compress", MODEL, "--recipe", recipe.toString(), "-o", same.toString(),
                "--dense", dir.resolve(".").resolve("same.safetensors").toString());
        Path copy = Files.copy(Path.of(MODEL), dir.resolve("bad.pth"));
        refused("is also the input MODEL", "compress", copy.toString(), "--recipe", recipe.toString(), "--dense", copy.toString());
        assertEquals(Files.size(Path.of(MODEL)), Files.size(copy), "the input is untouched");
        Files.delete(copy);
        assertNothingWritten();
    }

    /** The model is not a model at all: the output check must come first, so it is what the user hears about. */
    @Test
    void missingOutputFolderIsReportedBeforeAnyWork() throws Exception {
        Path notAModel = Files.writeString(dir.resolve("bad.pth"), "not a model");
        refused("does not exist", "compress", notAModel.toString(), "--recipe", intRecipe().toString(),
                "-o", dir.resolve("no-such-folder").resolve("o.safetensors").toString());
        refused("does not exist", "logits", notAModel.toString(), "--tokens", "1",
                "--out", dir.resolve("no-such-folder").resolve("l.f32").toString());
    }

    /** /proc refuses new files even to root, for whom permission bits do not count. */
    @Test
    void unwritableOutputFolderIsReportedBeforeAnyWork() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
        Path notAModel = Files.writeString(dir.resolve("bad.pth"), "not a model");
        refused("cannot write in folder /proc", "compress", notAModel.toString(), "--recipe", intRecipe().toString(),
                "-o", "/proc/o.safetensors");
    }

    @Test
    void missingInputsNameTheFile() throws Exception {
        refused("file not found: " + dir.resolve("nothing.pth"), "info", dir.resolve("nothing.pth").toString());
        refused("file not found: " + dir.resolve("r.json"), "compress", MODEL, "--recipe", dir.resolve("r.json").toString(),
                "-o", dir.resolve("o.safetensors").toString());
        refused("is a folder", "eval", MODEL, "--task", "perplexity", "--data", dir.toString());
    }

    /** It used to compress for minutes and then fail with "error: rwkv7-0.1b-synthetic" (a bare NoSuchFileException). */
    @Test
    void syntheticModelWithCompressedOutputIsRefusedUpFront() throws Exception {
        refused("synthetic:rwkv7-0.1b has none", "compress", "synthetic:rwkv7-0.1b", "--recipe", intRecipe().toString(),
                "-o", dir.resolve("s.safetensors").toString());
        refused("unknown synthetic shape", "info", "synthetic:nonsense");
        assertEquals("rwkv7-0.1b-synthetic: no such file or folder", Messages.of(new NoSuchFileException("rwkv7-0.1b-synthetic")));
    }

    @Test
    void messagesNeverShowClassNamesAndStayShort() {
        assertEquals("array index out of bounds", Messages.of(new ArrayIndexOutOfBoundsException((String) null)));
        assertEquals("a size or count is too large (long overflow)", Messages.of(new ArithmeticException("long overflow")));
        String huge = Messages.of(new IllegalArgumentException("x".repeat(100_000)));
        assertTrue(huge.length() <= Messages.MAX, "length " + huge.length());
    }

    /** A gold answer of 2^40 was read as 0 (a valid answer) by a narrowing conversion. */
    @Test
    void choiceGoldOutOfRange() throws Exception {
        Path data = Files.writeString(dir.resolve("c.jsonl"),
                "{\"context\": \"In the\", \"choices\": [\" beginning\", \" end\"], \"gold\": 1099511627776}\n");
        refused("is not one of the 2 choices", "eval", MODEL, "--task", "choice", "--data", data.toString());
    }

    private Path intRecipe() throws Exception {
        return Files.writeString(dir.resolve("r.json"), "{\"int8\": {}}");
    }
}
