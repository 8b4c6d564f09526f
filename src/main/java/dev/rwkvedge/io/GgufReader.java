package dev.rwkvedge.io;

import dev.rwkvedge.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Reads llama.cpp GGUF files of architectures rwkv6 and rwkv7 as BlinkDL state dicts. */
final class GgufReader {
    private GgufReader() {}

    static Checkpoint read(Path path, MemorySegment seg, Arena arena) throws ModelFormatException {
        GgufFile f = GgufFile.parse(path, seg);
        String arch = String.valueOf(f.kv().get("general.architecture"));
        Generation gen = switch (arch) {
            case "rwkv7" -> Generation.V7;
            case "rwkv6" -> Generation.V6;
            default -> throw new ModelFormatException(path, "GGUF architecture '" + arch + "' is not supported (rwkv6 and rwkv7 are)");
        };
        if (f.kv().get(arch + ".rescale_every_n_layers") instanceof Long r && r > 0) {
            throw new ModelFormatException(path, "rwkv6 files with rescale_every_n_layers = " + r
                    + " (weights divided by 2^(layer/" + r + ")) are not supported; convert with rescale_every 0");
        }
        if (!(f.kv().get(arch + ".wkv.head_size") instanceof Long s) || s <= 0) {
            throw new ModelFormatException(path, "missing or invalid " + arch + ".wkv.head_size");
        }
        Map<String, Tensor> tensors;
        try {
            tensors = RwkvCppLayout.toCanonical(GgufNames.toStored(f.tensors(), gen, s), gen);
        } catch (IllegalArgumentException | ArithmeticException | IndexOutOfBoundsException e) {
            throw new ModelFormatException(path, "shape mismatch: " + e.getMessage(), e);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        f.kv().forEach((k, v) -> meta.put(k, describe(v)));
        meta.put("gguf.version", Integer.toString(f.version()));
        return new Checkpoint(path, "gguf", tensors, meta, vocabulary(f), Optional.empty(), arena);
    }

    static String describe(Object v) {
        if (!(v instanceof GgufFile.Array a)) return String.valueOf(v);
        String head = a.values().stream().limit(8).map(String::valueOf).collect(Collectors.joining(", "));
        return "[" + a.values().size() + " x type " + a.type() + ": " + head + (a.values().size() > 8 ? ", ...]" : "]");
    }

    private static Optional<Checkpoint.EmbeddedVocabulary> vocabulary(GgufFile f) {
        if (!(f.kv().get("tokenizer.ggml.tokens") instanceof GgufFile.Array a)) return Optional.empty();
        String model = String.valueOf(f.kv().getOrDefault("tokenizer.ggml.model", ""));
        List<byte[]> tokens = new ArrayList<>(a.values().size());
        for (Object o : a.values()) {
            String s = String.valueOf(o);
            tokens.add(model.equals("rwkv") ? unescape(s) : s.getBytes(StandardCharsets.UTF_8));
        }
        return Optional.of(new Checkpoint.EmbeddedVocabulary(model, tokens));
    }

    /** The converter writes RWKV tokens as Python's repr(bytes) body; llama.cpp undoes \t \n \r \xNN and \c. */
    static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++) {
            byte b = utf8[i];
            if (b != '\\' || i + 1 >= utf8.length) {
                out.write(b);
                continue;
            }
            byte c = utf8[++i];
            switch (c) {
                case 't' -> out.write('\t');
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 'x' -> {
                    if (i + 2 < utf8.length && hex(utf8[i + 1]) >= 0 && hex(utf8[i + 2]) >= 0) {
                        out.write(hex(utf8[i + 1]) * 16 + hex(utf8[i + 2]));
                        i += 2;
                    } else {
                        out.write('x');
                    }
                }
                default -> out.write(c);
            }
        }
        return out.toByteArray();
    }

    private static int hex(byte b) {
        return Character.digit((char) b, 16);
    }
}
