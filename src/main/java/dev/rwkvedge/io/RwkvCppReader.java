package dev.rwkvedge.io;

import dev.rwkvedge.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads rwkv.cpp .bin files (versions 100 and 101) as BlinkDL state dicts. */
final class RwkvCppReader {
    private RwkvCppReader() {}

    static Checkpoint read(Path path, MemorySegment seg, Arena arena) throws ModelFormatException {
        RwkvCppFile f = RwkvCppFile.parse(path, seg);
        List<Tensor> stored = f.tensors();
        Generation gen = Generation.detect(stored.stream().map(Tensor::name).toList());
        Map<String, Tensor> tensors;
        try {
            tensors = RwkvCppLayout.toCanonical(stored, gen);
        } catch (IllegalArgumentException | ArithmeticException | IndexOutOfBoundsException e) {
            throw new ModelFormatException(path, "shape mismatch: " + e.getMessage(), e);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("n_vocab", Integer.toString(f.nVocab()));
        meta.put("n_embed", Integer.toString(f.nEmbed()));
        meta.put("n_layer", Integer.toString(f.nLayer()));
        meta.put("data_type", Integer.toString(f.dataType()));
        meta.put("version", Integer.toString(f.version()));
        meta.put("generation", gen.name());
        // rwkv.cpp normalizes v5's ln_x with 1e-5 (README §6); its v6/v7 graphs use BlinkDL's 64e-5
        Optional<Float> eps = gen.isV5() ? Optional.of(1e-5f) : Optional.empty();
        return new Checkpoint(path, "rwkv.cpp", tensors, meta, Optional.empty(), eps, arena);
    }
}
