package dev.rwkvedge.io;

import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads PyTorch zip checkpoints (torch.save, README §9.2): the pickled state dict over mapped storages. */
final class PthReader {
    /** A state dict's pickle holds a few hundred bytes per tensor; far more is not a checkpoint. */
    static final long MAX_PICKLE = 64L << 20;

    private PthReader() {}

    /** A storage named by a persistent id; its bytes live in the archive entry {@code data/<key>}. */
    record Storage(DType dtype, String key, long numel) {}

    /** The result of {@code _rebuild_tensor_v2}, resolved into a Tensor once its name is known. */
    record TensorRef(Storage storage, long offset, long[] size, long[] stride) {}

    static Checkpoint read(Path path, MemorySegment seg, Arena arena) throws ModelFormatException {
        ZipArchive zip = ZipArchive.open(path, seg);
        ZipArchive.Entry pkl = zip.entries().values().stream().filter(e -> e.name().endsWith("data.pkl")
                && (e.name().equals("data.pkl") || e.name().endsWith("/data.pkl"))).findFirst()
                .orElseThrow(() -> new ModelFormatException(path, "zip archive has no data.pkl: not a torch.save checkpoint"));
        String prefix = pkl.name().substring(0, pkl.name().length() - "data.pkl".length());
        requireLittleEndian(path, zip, prefix);
        Object top = Unpickler.load(path, zip.data(pkl, MAX_PICKLE), new TorchCalls(path));
        Map<?, ?> dict = stateDict(path, top);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, MemorySegment> storages = new HashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (!(e.getKey() instanceof String name)) {
                throw new ModelFormatException(path, "state dict key " + ModelFormatException.shown(e.getKey()) + " is not a string");
            }
            if (!(e.getValue() instanceof TensorRef ref)) {
                throw new ModelFormatException(path, "state dict entry " + name + " is not a tensor but " + ModelFormatException.shown(e.getValue()));
            }
            MemorySegment store = storages.get(ref.storage().key());
            if (store == null) {
                ZipArchive.Entry entry = zip.entries().get(prefix + "data/" + ref.storage().key());
                if (entry == null) throw new ModelFormatException(path, "tensor " + name + ": storage data/" + ref.storage().key() + " is missing");
                store = zip.data(entry, storageBytes(path, name, ref.storage()));
                storages.put(ref.storage().key(), store);
            }
            tensors.put(name, tensor(path, name, ref, store));
        }
        return new Checkpoint(path, "pth", tensors, Map.of(), Optional.empty(), Optional.empty(), arena);
    }

    /** PyTorch 2 records the byte order; older files have no entry and are little-endian (README §9.2). */
    private static void requireLittleEndian(Path path, ZipArchive zip, String prefix) throws ModelFormatException {
        ZipArchive.Entry order = zip.entries().get(prefix + "byteorder");
        if (order == null) return;
        String endian = new String(zip.data(order, 16).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII).trim();
        if (!endian.equals("little")) throw new ModelFormatException(path, "checkpoint byte order '" + endian + "' is not supported (little only)");
    }

    private static Map<?, ?> stateDict(Path path, Object top) throws ModelFormatException {
        if (!(top instanceof Map<?, ?> m)) throw new ModelFormatException(path, "pickle holds " + ModelFormatException.shown(top) + ", not a state dict");
        for (String wrapper : List.of("state_dict", "model")) {
            if (m.get(wrapper) instanceof Map<?, ?> inner) return inner;
        }
        return m;
    }

    private static Tensor tensor(Path path, String name, TensorRef ref, MemorySegment store) throws ModelFormatException {
        DType dt = ref.storage().dtype();
        long[] size = ref.size();
        if (ref.stride().length != size.length) throw new ModelFormatException(path, "tensor " + name + " has mismatched size and stride");
        long expect = 1;
        for (int i = size.length - 1; i >= 0; i--) {
            if (size[i] < 0) throw new ModelFormatException(path, "tensor " + name + " has negative dimension " + size[i]);
            if (size[i] != 1 && ref.stride()[i] != expect) {
                throw new ModelFormatException(path, "tensor " + name + " is not C-contiguous (size " + ModelFormatException.shown(size)
                        + ", stride " + ModelFormatException.shown(ref.stride()) + "); save it after .contiguous()");
            }
            expect = multiply(path, name, expect, size[i]);
        }
        long elem = dt.bytesPerBlock;
        long storageBytes = storageBytes(path, name, ref.storage());
        if (store.byteSize() < storageBytes) {
            throw new ModelFormatException(path, "truncated tensor data: storage of " + name + " has " + store.byteSize()
                    + " bytes, needs " + storageBytes);
        }
        if (ref.offset() < 0 || ref.offset() > ref.storage().numel()) {
            throw new ModelFormatException(path, "tensor " + name + " starts at element " + ref.offset() + " of a storage of "
                    + ref.storage().numel());
        }
        long start = ref.offset() * elem;
        long bytes = multiply(path, name, expect, elem);
        if (bytes > storageBytes - start) {
            throw new ModelFormatException(path, "tensor " + name + " (offset " + ref.offset() + ", " + expect
                    + " elements) overruns its storage of " + ref.storage().numel() + " elements");
        }
        return new Tensor(name, dt, size, store.asSlice(start, bytes));
    }

    private static long storageBytes(Path path, String tensor, Storage s) throws ModelFormatException {
        return multiply(path, tensor, s.numel(), s.dtype().bytesPerBlock);
    }

    private static long multiply(Path path, String tensor, long a, long b) throws ModelFormatException {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new ModelFormatException(path, "tensor " + tensor + " has a size that overflows (" + a + " x " + b + ")");
        }
    }

    /** torch's pickle vocabulary: storages as persistent ids, tensors rebuilt by _rebuild_tensor_v2. */
    private record TorchCalls(Path path) implements Unpickler.Calls {
        @Override
        public Object reduce(Unpickler.Global f, List<Object> a) throws ModelFormatException {
            String fn = f.toString();
            switch (fn) {
                case "collections.OrderedDict", "builtins.dict", "__builtin__.dict" -> {
                    return new LinkedHashMap<>();
                }
                case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" -> {
                    if (a.size() < 4 || !(a.get(0) instanceof Storage s)) throw bad(fn, a);
                    return new TensorRef(s, asLong(a.get(1), fn), longs(a.get(2), fn), longs(a.get(3), fn));
                }
                case "torch._utils._rebuild_parameter" -> {
                    if (a.isEmpty() || !(a.get(0) instanceof TensorRef t)) throw bad(fn, a);
                    return t;
                }
                default -> throw new ModelFormatException(path, "pickle calls unsupported " + fn + ": not a plain state dict");
            }
        }

        @Override
        public Object persistentLoad(Object pid) throws ModelFormatException {
            if (!(pid instanceof List<?> t) || t.size() < 5 || !"storage".equals(t.get(0))) {
                throw new ModelFormatException(path, "unsupported persistent id " + ModelFormatException.shown(pid));
            }
            String type = t.get(1) instanceof Unpickler.Global g ? g.toString() : ModelFormatException.shown(t.get(1));
            DType dt = switch (type) {
                case "torch.FloatStorage" -> DType.F32;
                case "torch.HalfStorage" -> DType.F16;
                case "torch.BFloat16Storage" -> DType.BF16;
                case "torch.CharStorage" -> DType.I8;
                default -> throw new ModelFormatException(path, "unsupported tensor storage type " + type
                        + " (float32, float16, bfloat16 and int8 are supported)");
            };
            long numel = asLong(t.get(4), "storage");
            if (!(t.get(2) instanceof String key)) throw new ModelFormatException(path, "storage key " + ModelFormatException.shown(t.get(2)) + " is not a string");
            if (numel < 0) throw new ModelFormatException(path, "storage " + key + " has negative size " + numel);
            return new Storage(dt, key, numel);
        }

        private ModelFormatException bad(String fn, List<Object> a) {
            return new ModelFormatException(path, "malformed call " + fn + ModelFormatException.shown(a));
        }

        private long asLong(Object o, String where) throws ModelFormatException {
            if (o instanceof Long l) return l;
            throw new ModelFormatException(path, where + ": expected an integer, got " + ModelFormatException.shown(o));
        }

        private long[] longs(Object o, String where) throws ModelFormatException {
            if (!(o instanceof List<?> l)) throw new ModelFormatException(path, where + ": expected a tuple, got " + ModelFormatException.shown(o));
            long[] out = new long[l.size()];
            for (int i = 0; i < out.length; i++) out[i] = asLong(l.get(i), where);
            return out;
        }
    }
}
