package dev.rwkvedge.io;

import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The raw content of a GGUF file (versions 2 and 3): key/values and tensors under llama.cpp's names, shapes in
 * PyTorch order (ne reversed). Values: Long for integers, Double for floats, Boolean, String, {@link Array}.
 */
record GgufFile(int version, Map<String, Object> kv, List<Tensor> tensors) {
    static final int MAGIC = 0x46554747;
    static final int DEFAULT_ALIGNMENT = 32;
    static final DTypeCodes CODES = new DTypeCodes("GGUF", 0, DType.F32, 1, DType.F16, 2, DType.Q4_0, 3, DType.Q4_1,
            6, DType.Q5_0, 7, DType.Q5_1, 8, DType.Q8_0, 12, DType.Q4_K, 24, DType.I8, 30, DType.BF16);
    /** Vocabularies and merge lists hold at most a few hundred thousand entries. */
    static final long MAX_ARRAY = 1L << 24;
    /** The GGUF specification limits keys and strings used as names to 65,535 bytes. */
    static final long MAX_KEY = 65535;
    static final int T_UINT32 = 4, T_INT32 = 5, T_FLOAT32 = 6, T_STRING = 8, T_ARRAY = 9, T_UINT64 = 10;

    /** An array KV: element type and values (strings as String, numbers boxed as above). */
    record Array(int type, List<Object> values) {}

    static GgufFile parse(Path file, MemorySegment seg) throws ModelFormatException {
        ByteCursor in = new ByteCursor(file, seg, 0);
        int magic = in.i32("GGUF header");
        if (magic != MAGIC) throw in.fail(String.format("wrong magic 0x%08x, not a GGUF file", magic));
        int version = in.i32("GGUF header");
        if (version != 2 && version != 3) throw in.fail("unsupported GGUF version " + version + " (2 and 3 are supported)");
        long nTensors = in.i64("GGUF header");
        long nKv = in.i64("GGUF header");
        // each tensor info takes at least 8+1+4+8+4+8 bytes, each KV at least 8+1+4+1
        if (nTensors < 0 || nTensors > in.remaining() / 33) throw in.fail("absurd tensor count " + Long.toUnsignedString(nTensors) + " for a file of " + seg.byteSize() + " bytes");
        if (nKv < 0 || nKv > in.remaining() / 14) throw in.fail("absurd key/value count " + Long.toUnsignedString(nKv) + " for a file of " + seg.byteSize() + " bytes");
        Map<String, Object> kv = new LinkedHashMap<>();
        for (long i = 0; i < nKv; i++) {
            String key = string(in, "KV key", MAX_KEY);
            if (kv.put(key, value(in, (int) in.u32("KV type of " + key), key)) != null) throw in.fail("duplicate key " + key);
        }
        long alignment = DEFAULT_ALIGNMENT;
        if (kv.get("general.alignment") instanceof Long a) {
            if (a <= 0 || a > 1 << 20 || Long.bitCount(a) != 1) throw in.fail("invalid general.alignment " + a);
            alignment = a;
        }
        record Info(String name, DType dt, long[] shape, long offset, long bytes) {}
        List<Info> infos = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (long i = 0; i < nTensors; i++) {
            String name = string(in, "tensor name", MAX_KEY);
            if (!seen.add(name)) throw in.fail("duplicate tensor name " + name);
            long nDims = in.u32("dims of " + name);
            if (nDims < 1 || nDims > 4) throw in.fail("tensor " + name + " has " + nDims + " dims (1 to 4 allowed)");
            long[] shape = new long[(int) nDims];
            for (int d = 0; d < nDims; d++) {
                long ne = in.i64("dims of " + name);
                if (ne < 0) throw in.fail("tensor " + name + " has negative dimension " + ne);
                shape[(int) nDims - 1 - d] = ne;
            }
            long code = in.u32("type of " + name);
            DType dt = CODES.dtype(code);
            if (dt == null) throw in.fail("tensor " + name + " has unsupported ggml type " + code);
            long offset = in.i64("offset of " + name);
            long bytes;
            try {
                bytes = dt.byteSize(Tensor.numel(shape));
            } catch (ArithmeticException e) {
                throw in.fail("tensor " + name + " dimensions " + ModelFormatException.shown(shape) + " overflow");
            }
            if (bytes < 0 || shape[shape.length - 1] % dt.blockSize != 0) {
                throw in.fail("tensor " + name + " has rows of " + shape[shape.length - 1] + " elements, not a whole number of "
                        + dt + " blocks of " + dt.blockSize);
            }
            if (offset < 0 || offset % alignment != 0) throw in.fail("tensor " + name + " has misaligned offset " + offset);
            infos.add(new Info(name, dt, shape, offset, bytes));
        }
        long dataStart = (in.position() + alignment - 1) / alignment * alignment;
        long dataBytes = seg.byteSize() - dataStart;
        // writers place tensors one after another, each padded to the alignment: anything else (overlap, a gap, bytes
        // after the last) means an offset, a shape or a type was damaged, and the weights would be read shifted
        List<Info> byOffset = new ArrayList<>(infos);
        byOffset.sort(java.util.Comparator.comparingLong(Info::offset));
        long expect = 0;
        String previous = "the data section";
        for (Info t : byOffset) {
            if (t.offset() != expect) {
                throw in.fail("tensor " + t.name() + " starts at data offset " + t.offset() + " but " + previous + " ends at " + expect
                        + (t.offset() < expect ? ": overlapping tensors" : ": a gap between tensors"));
            }
            expect = (t.offset() + t.bytes() + alignment - 1) / alignment * alignment;
            previous = "tensor " + t.name();
        }
        if (dataBytes > expect) {
            throw in.fail("the data section has " + (dataBytes - expect) + " bytes after the last tensor, which no tensor describes");
        }
        List<Tensor> tensors = new ArrayList<>();
        for (Info t : infos) {
            if (dataBytes < 0 || t.offset() > dataBytes || t.bytes() > dataBytes - t.offset()) {
                throw in.fail("truncated tensor data: " + t.name() + " needs bytes " + t.offset() + ".." + (t.offset() + t.bytes())
                        + " of a data section of " + Math.max(0, dataBytes) + " bytes");
            }
            tensors.add(new Tensor(t.name(), t.dt(), t.shape(), seg.asSlice(dataStart + t.offset(), t.bytes())));
        }
        return new GgufFile(version, kv, tensors);
    }

    private static String string(ByteCursor in, String what, long max) throws ModelFormatException {
        long at = in.position();
        long n = in.i64(what + " length");
        if (n < 0 || n > in.remaining()) throw in.fail("truncated file: " + what + " at offset " + at + " claims " + Long.toUnsignedString(n) + " bytes");
        if (n > max) throw in.fail(what + " at offset " + at + " claims " + n + " bytes, more than the " + max + " allowed");
        return in.utf8(n, what);
    }

    private static Object value(ByteCursor in, int type, String key) throws ModelFormatException {
        return switch (type) {
            case 0 -> (long) in.u8(key);
            case 1 -> (long) (byte) in.u8(key);
            case 2 -> (long) in.u16(key);
            case 3 -> (long) (short) in.u16(key);
            case T_UINT32 -> in.u32(key);
            case T_INT32 -> (long) in.i32(key);
            case T_FLOAT32 -> (double) in.f32(key);
            case 7 -> in.u8(key) != 0;
            case T_STRING -> string(in, "value of " + key, ByteCursor.MAX_HEAP_COPY);
            case T_UINT64, 11 -> in.i64(key);
            case 12 -> in.f64(key);
            case T_ARRAY -> {
                int et = (int) in.u32(key);
                long n = in.i64(key + " array length");
                if (n < 0 || n > in.remaining() / minBytes(et)) {
                    throw in.fail("array " + key + " claims " + Long.toUnsignedString(n) + " elements, more than the file holds");
                }
                if (n > MAX_ARRAY) throw in.fail("array " + key + " of " + n + " elements is implausibly long");
                if (et == T_ARRAY) throw in.fail("nested arrays in " + key + " are not supported");
                List<Object> values = new ArrayList<>((int) Math.min(n, 1 << 16));
                for (long i = 0; i < n; i++) values.add(value(in, et, key));
                yield new Array(et, values);
            }
            default -> throw in.fail("key " + key + " has unknown value type " + type);
        };
    }

    /** The fewest bytes one array element of this type takes (a string: its 8-byte length). */
    private static long minBytes(int type) {
        return switch (type) {
            case 0, 1, 7 -> 1;
            case 2, 3 -> 2;
            case T_UINT32, T_INT32, T_FLOAT32 -> 4;
            default -> 8;
        };
    }
}
