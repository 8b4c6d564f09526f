package dev.rwkvedge.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes that never leave a partial file: a temporary file {@code .NAME.<digits>.tmp} in the same folder, flushed,
 * then moved into place. Temporary files still open when the JVM shuts down (Ctrl-C, kill) are removed by a shutdown
 * hook; those a kill -9 left behind are swept at the next start ({@link WriteJournal}) and before the next write of
 * the same target.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();

    @FunctionalInterface
    public interface Body {
        void write(FileChannel ch) throws IOException;
    }

    @FunctionalInterface
    public interface Check {
        void verify(Path written) throws IOException;
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, ch -> {
            ByteBuffer bb = ByteBuffer.wrap(bytes);
            while (bb.hasRemaining()) ch.write(bb);
        }, null);
    }

    /** Writes through {@code body} into a temporary file, runs {@code check} on it, then moves it over target. */
    public static void write(Path target, Body body, Check check) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null && !Files.isDirectory(dir)) throw new IOException(target + ": folder " + dir + " does not exist");
        sweepStale(abs);
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        } catch (FileSystemException e) {
            throw new IOException("cannot write " + target + ": " + problem(e) + " (folder " + dir + ")", e);
        }
        track(tmp);
        try {
            keepPermissions(abs, tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                body.write(ch);
                ch.force(true);
            }
            if (check != null) check.verify(tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            syncFolder(dir);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            // the temporary name means nothing to the user: name the target instead
            if (e instanceof FileSystemException fs) throw new IOException("writing " + target + " failed: " + problem(fs), e);
            String msg = e.getMessage();
            if (msg != null && msg.contains(tmp.toString())) throw new IOException(msg.replace(tmp.toString(), abs.toString()), e);
            throw e;
        } catch (RuntimeException | Error e) {
            Files.deleteIfExists(tmp);
            throw e;
        } finally {
            PENDING.remove(tmp);
        }
    }

    /** A file-system failure in words, without the path it happened on (callers name the file the user knows). */
    public static String problem(FileSystemException e) {
        if (e.getReason() != null && !e.getReason().isBlank()) return e.getReason();
        return switch (e) {
            case NoSuchFileException x -> "no such file or folder";
            case AccessDeniedException x -> "permission denied";
            case FileAlreadyExistsException x -> "a file of that name already exists";
            case DirectoryNotEmptyException x -> "a folder that is not empty is in the way";
            case NotDirectoryException x -> "not a folder";
            default -> "file system error";
        };
    }

    /** The names this class gives the temporary files of {@code target}: {@code .NAME.<digits>.tmp}. */
    static Pattern tempNames(Path target) {
        return Pattern.compile("\\." + Pattern.quote(target.getFileName().toString()) + "\\.\\d+\\.tmp");
    }

    /**
     * Removes temporary files of earlier, interrupted writes of {@code target}: names only this class makes, last
     * modified before this process started (so a write of another running process is left alone). Best effort.
     */
    public static List<Path> sweepStale(Path target) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        List<Path> removed = new ArrayList<>();
        Instant started = ProcessHandle.current().info().startInstant().orElse(null);
        if (dir == null || started == null || !Files.isDirectory(dir)) return removed;
        Pattern names = tempNames(abs);
        FileTime before = FileTime.from(started);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> names.matcher(p.getFileName().toString()).matches()).toList()) {
                try {
                    if (Files.isRegularFile(p) && Files.getLastModifiedTime(p).compareTo(before) < 0 && Files.deleteIfExists(p)) {
                        removed.add(p);
                    }
                } catch (IOException ignored) {
                    // someone else's file, or gone already
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // an unreadable folder: the write itself will report it
        }
        return removed;
    }

    private static void track(Path tmp) {
        if (HOOKED.compareAndSet(false, true)) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(AtomicFiles::removePending, "remove-temp-files"));
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting; the write will not finish anyway
            }
        }
        PENDING.add(tmp);
        WriteJournal.record(tmp);
    }

    /** Deletes the temporary files of writes still in progress; the shutdown hook calls it. */
    static void removePending() {
        for (Path p : PENDING) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort: the next write of the target sweeps it
            }
        }
        WriteJournal.close();
    }

    /** createTempFile makes the file owner-only; the new file should get the old file's mode, or rw-r--r--. */
    private static void keepPermissions(Path dest, Path tmp) throws IOException {
        try {
            Files.setPosixFilePermissions(tmp, Files.exists(dest) ? Files.getPosixFilePermissions(dest)
                    : PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: its default permissions apply
        }
    }

    /** Makes the rename itself durable; not every platform can open a folder, which only costs durability. */
    private static void syncFolder(Path dir) {
        if (dir == null) return;
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }
}
