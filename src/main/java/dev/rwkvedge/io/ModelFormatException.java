package dev.rwkvedge.io;

import java.io.IOException;
import java.nio.file.Path;

/** A file that cannot be read as a model; the message names the file and what was wrong with it. */
public class ModelFormatException extends IOException {
    private final transient Path file;

    public ModelFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public ModelFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
