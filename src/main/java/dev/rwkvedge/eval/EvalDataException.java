package dev.rwkvedge.eval;

import java.nio.file.Path;

/** A line of an evaluation data file that is not in a format we read; the message names the file, line and format. */
public final class EvalDataException extends IllegalArgumentException {
    private final Path file;
    private final int line;

    public EvalDataException(Path file, int line, String problem) {
        super(file + ", line " + line + ": " + problem);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    public int line() {
        return line;
    }
}
