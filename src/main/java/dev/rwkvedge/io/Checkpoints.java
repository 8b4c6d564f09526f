package dev.rwkvedge.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens any supported model file, recognised by its first bytes rather than its name. */
public final class Checkpoints {
    /** How a failure no reader check caught is reported; the fuzz campaign counts these as defects. */
    static final String SAFETY_NET = "malformed file (unchecked): ";

    private Checkpoints() {}

    /** Opens the file in its own shared arena; closing the checkpoint unmaps it. */
    public static Checkpoint open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            return open(path, arena);
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** Opens the file with its mapping owned by the caller's arena. */
    public static Checkpoint open(Path path, Arena arena) throws IOException {
        if (!Files.isRegularFile(path)) throw new ModelFormatException(path, "not a regular file");
        return read(path, MappedFile.map(path, arena), arena);
    }

    /** Reads the bytes of {@code path}, already in memory (the fuzz campaign's damaged copies never touch the disk). */
    static Checkpoint read(Path path, MemorySegment seg, Arena arena) throws IOException {
        if (seg.byteSize() < 8) throw new ModelFormatException(path, "file of " + seg.byteSize() + " bytes is too short to be a model");
        int magic = seg.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
        try {
            if (magic == 0x04034b50) return PthReader.read(path, seg, arena);
            if (magic == RwkvCppFile.MAGIC) return RwkvCppReader.read(path, seg, arena);
            if (magic == GgufFile.MAGIC) return GgufReader.read(path, seg, arena);
            if (seg.byteSize() > 8 && seg.get(ValueLayout.JAVA_BYTE, 8) == '{') return SafetensorsReader.read(path, seg, arena);
        } catch (ModelFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            // a safety net: any check a reader missed still names the file instead of leaking a stack trace
            throw new ModelFormatException(path, SAFETY_NET + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        }
        throw new ModelFormatException(path, String.format("unrecognised format (first bytes 0x%08x): expected a .pth zip, "
                + "an rwkv.cpp ggmf file, GGUF or safetensors", magic));
    }
}
