package dev.rwkvedge.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the temporary files of this process's writes are, so that the next start can remove what a kill -9 left
 * anywhere (the sweep before a write only sees the folder of the file being written). One journal per process,
 * {@code <pid>.journal} in the state folder ($RWKV_STUDIO_STATE, else $XDG_STATE_HOME or ~/.local/state, then
 * rwkv-edge-studio/pending-writes); a journal is read only once its process is gone, so two running processes never
 * touch each other's files.
 */
public final class WriteJournal {
    private WriteJournal() {}

    /** Only names {@link AtomicFiles} gives its temporary files; a journal line naming anything else is ignored. */
    private static final Pattern TEMP_NAME = Pattern.compile("\\..+\\.\\d+\\.tmp");

    public static Path folder() {
        String own = System.getenv("RWKV_STUDIO_STATE");
        if (own != null && !own.isBlank()) return Path.of(own, "pending-writes");
        String xdg = System.getenv("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("rwkv-edge-studio").resolve("pending-writes");
    }

    /** Notes a temporary file before anything is written to it. Best effort: without a journal the sweep by target remains. */
    static void record(Path tmp) {
        Path journal = folder().resolve(ProcessHandle.current().pid() + ".journal");
        try {
            Files.createDirectories(journal.getParent());
            Files.writeString(journal, tmp.toAbsolutePath() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException ignored) {
            // an unwritable home: the write itself still goes on
        }
    }

    /** Drops this process's journal; the shutdown hook calls it after removing the temporary files it names. */
    static void close() {
        try {
            Files.deleteIfExists(folder().resolve(ProcessHandle.current().pid() + ".journal"));
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** Removes the temporary files named by the journals of processes that are gone; returns what it removed. */
    public static List<Path> sweepInterrupted() {
        return sweepInterrupted(folder());
    }

    static List<Path> sweepInterrupted(Path folder) {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(folder)) return removed;
        try (Stream<Path> journals = Files.list(folder)) {
            for (Path journal : journals.filter(p -> p.getFileName().toString().matches("\\d{1,18}\\.journal")).toList()) {
                long pid = Long.parseLong(journal.getFileName().toString().replace(".journal", ""));
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
                for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                    Path tmp = Path.of(line.strip());
                    if (tmp.isAbsolute() && TEMP_NAME.matcher(tmp.getFileName().toString()).matches()
                            && Files.isRegularFile(tmp) && Files.deleteIfExists(tmp)) {
                        removed.add(tmp);
                    }
                }
                Files.deleteIfExists(journal);
            }
        } catch (IOException | RuntimeException ignored) {
            // a damaged or unreadable journal: leave it, the sweep by target still covers its writes
        }
        return removed;
    }
}
