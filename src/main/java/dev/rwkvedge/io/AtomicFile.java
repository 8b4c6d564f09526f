package dev.rwkvedge.io;

import dev.rwkvedge.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a file so that readers only ever see the old file or the complete, verified new one: a temp file in the
 * same folder, fsync, read back and compared, then an atomic rename. On any failure the temp file is removed and
 * the destination is untouched.
 */
final class AtomicFile {
    private AtomicFile() {}

    interface Body {
        void writeTo(FileSink out) throws IOException;
    }

    /** Reads the written temp file back with our own parser and returns its tensors as stored. */
    interface ReadBack {
        List<Tensor> read(Path temp, Arena arena) throws IOException;
    }

    static void write(Path dest, Body body, List<Tensor> intended, ReadBack readBack) throws IOException {
        Path dir = dest.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + dest.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            keepPermissions(dest, tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                FileSink out = new FileSink(ch);
                body.writeTo(out);
                out.flush();
                ch.force(true);
            }
            try (Arena arena = Arena.ofConfined()) {
                verify(dest, intended, readBack.read(tmp, arena));
            }
            Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            syncFolder(dir);
        } catch (RuntimeException e) {
            throw new IOException("writing " + dest + " failed: " + e.getMessage(), e);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original error matters more than a leftover temp file we could not remove
                }
            }
        }
    }

    private static void verify(Path dest, List<Tensor> intended, List<Tensor> got) throws IOException {
        Map<String, Tensor> byName = new HashMap<>();
        for (Tensor t : got) byName.put(t.name(), t);
        if (got.size() != intended.size()) {
            throw new IOException("writing " + dest + ": read back " + got.size() + " tensors, wrote " + intended.size());
        }
        for (Tensor want : intended) {
            String problem = TensorOps.difference(want, byName.get(want.name()));
            if (problem != null) throw new IOException("writing " + dest + ": read-back check failed: " + problem);
        }
    }

    /** createTempFile makes the file owner-only; the model should get the old file's mode, or rw-r--r--. */
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
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }
}
