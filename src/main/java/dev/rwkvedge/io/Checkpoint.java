package dev.rwkvedge.io;

import dev.rwkvedge.tensor.Tensor;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tensors of one model file under BlinkDL's state-dict names and shapes, whatever the file's format.
 * Storage is memory-mapped where the format allows; closing releases the mapping.
 *
 * @param format   short format name: "pth", "safetensors", "rwkv.cpp", "gguf", ...
 * @param metadata the format's own key/value metadata, as strings (safetensors __metadata__, GGUF KVs, rwkv.cpp header)
 * @param vocabulary token strings embedded in the file (GGUF), empty if none
 * @param groupNormEps the ln_x epsilon the file's own runtime uses, if the format implies one (rwkv.cpp: 1e-5 for v5)
 */
public record Checkpoint(Path path, String format, Map<String, Tensor> tensors, Map<String, String> metadata,
                         Optional<EmbeddedVocabulary> vocabulary, Optional<Float> groupNormEps, Arena arena)
        implements AutoCloseable {

    public Checkpoint {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    public Optional<Tensor> find(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /** The tensor, or a {@link ModelFormatException} naming the file and the missing tensor. */
    public Tensor require(String name) throws ModelFormatException {
        Tensor t = tensors.get(name);
        if (t == null) throw new ModelFormatException(path, "missing tensor " + name);
        return t;
    }

    public long fileBytes() {
        try {
            return java.nio.file.Files.size(path);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        if (arena != null && arena.scope().isAlive()) {
            try {
                arena.close();
            } catch (IllegalStateException | UnsupportedOperationException ignored) {
                // global or shared arenas in use elsewhere: the mapping goes with the GC
            }
        }
    }

    /** Token strings as raw bytes, indexed by token id (GGUF tokenizer.ggml.tokens after un-escaping). */
    public record EmbeddedVocabulary(String model, java.util.List<byte[]> tokens) {}
}
