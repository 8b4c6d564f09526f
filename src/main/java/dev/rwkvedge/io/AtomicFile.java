package dev.rwkvedge.io;

import dev.rwkvedge.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a tensor file so that readers only ever see the old file or the complete, verified new one: through
 * {@link AtomicFiles}, with the temp file read back by our own parser and compared tensor by tensor before the rename.
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
        try {
            AtomicFiles.write(dest, ch -> {
                FileSink out = new FileSink(ch);
                body.writeTo(out);
                out.flush();
            }, tmp -> {
                try (Arena arena = Arena.ofConfined()) {
                    verify(dest, intended, readBack.read(tmp, arena));
                }
            });
        } catch (RuntimeException e) {
            String why = e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage() : "an internal error";
            throw new IOException("writing " + dest + " failed: " + why, e);
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
}
