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
        checkHeader(path, f, tensors);
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

    /** rwkv.cpp sizes its graph from the header, so a header that disagrees with the tensors is a damaged file. */
    private static void checkHeader(Path path, RwkvCppFile f, Map<String, Tensor> tensors) throws ModelFormatException {
        Tensor emb = tensors.get("emb.weight");
        if (emb == null) throw new ModelFormatException(path, "missing tensor emb.weight");
        long[] s = emb.shape();
        if (s.length != 2 || s[0] != f.nVocab() || s[1] != f.nEmbed()) {
            throw new ModelFormatException(path, "header says n_vocab " + f.nVocab() + ", n_embed " + f.nEmbed()
                    + " but tensor emb.weight has shape " + emb.shapeString());
        }
        java.util.Set<String> layers = new java.util.HashSet<>();
        for (String n : tensors.keySet()) {
            if (n.startsWith("blocks.")) layers.add(n.substring(7, Math.max(7, n.indexOf('.', 7))));
        }
        // the layers the header allows, tested per name: a damaged n_layer can be near 2^31, too many to enumerate
        layers.removeIf(l -> l.matches("0|[1-9][0-9]{0,8}") && Integer.parseInt(l) < f.nLayer());
        if (!layers.isEmpty() || tensors.keySet().stream().noneMatch(n -> n.startsWith("blocks." + (f.nLayer() - 1) + "."))) {
            throw new ModelFormatException(path, "header says n_layer " + f.nLayer() + " but the tensors' layers "
                    + (layers.isEmpty() ? "stop earlier" : "include " + ModelFormatException.shown(layers.iterator().next())));
        }
    }
}
