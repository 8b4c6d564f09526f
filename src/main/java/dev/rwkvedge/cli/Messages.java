package dev.rwkvedge.cli;

import dev.rwkvedge.io.AtomicFiles;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.Locale;

/** Turns any failure into one bounded line a user can act on: no class names, no temp names, no stack trace. */
final class Messages {
    /** Longer messages are cut: a damaged file can make a value of any size end up in a message. */
    static final int MAX = 300;

    private Messages() {}

    static String abbreviate(String s) {
        if (s == null) return "";
        String line = s.strip().replaceAll("\\s*\\R\\s*", " ");
        return line.length() <= MAX ? line : line.substring(0, MAX - 5) + " ...";
    }

    /** What went wrong, as a sentence. */
    static String of(Throwable t) {
        if (t instanceof UncheckedIOException u && u.getCause() != null) t = u.getCause();
        String msg = t.getMessage();
        return abbreviate(switch (t) {
            case FileSystemException fs -> describe(fs);
            case OutOfMemoryError e -> "out of memory (Java heap of " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MB); give it more with STUDIO_JAVA_OPTS=-Xmx8g, or use a smaller input";
            case StackOverflowError e -> "the input is nested too deeply to process";
            case NumberFormatException e -> "not a number: " + msg;
            case ArithmeticException e -> "a size or count is too large (" + msg + ")";
            default -> msg != null && !msg.isBlank() ? msg : words(t.getClass().getSimpleName());
        });
    }

    /** Whether the failure is the input's fault (exit code 2) rather than ours (exit code 1). */
    static boolean isInputError(Throwable t) {
        return t instanceof java.io.IOException || t instanceof UncheckedIOException || t instanceof IllegalArgumentException
                || t instanceof IllegalStateException || t instanceof UnsupportedOperationException;
    }

    /** A file-system failure names the file: Java's own message is often just the bare path. */
    private static String describe(FileSystemException e) {
        String file = e.getFile();
        String problem = AtomicFiles.problem(e);
        if (file == null) return problem;
        String other = e.getOtherFile();
        return file + ": " + problem + (other != null ? " (" + other + ")" : "");
    }

    /** "ArrayIndexOutOfBoundsException" -> "array index out of bounds", for failures without a message. */
    private static String words(String className) {
        String s = className.replaceAll("(Exception|Error)$", "");
        return s.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }
}
