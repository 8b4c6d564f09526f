package dev.rwkvedge.io;

import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The raw content of an rwkv.cpp "ggmf" file (README §1.1): header and tensors as stored, shapes in PyTorch order. */
record RwkvCppFile(int version, int nVocab, int nEmbed, int nLayer, int dataType, List<Tensor> tensors) {
    static final int MAGIC = 0x67676d66;
    private static final int MAX_NAME = 4096;
    static final DTypeCodes CODES = new DTypeCodes("rwkv.cpp", 0, DType.F32, 1, DType.F16, 2, DType.Q4_0, 3, DType.Q4_1,
            7, DType.Q5_0, 8, DType.Q5_1, 9, DType.Q8_0);

    static String typeProblem(int code) {
        if (code >= 4 && code <= 6) return "uses removed ggml type " + code + " (Q4_1_O/Q4_2/Q4_3), which rwkv.cpp no longer reads";
        return "has unknown type code " + code;
    }

    static RwkvCppFile parse(Path file, MemorySegment seg) throws ModelFormatException {
        ByteCursor in = new ByteCursor(file, seg, 0);
        int magic = in.i32("header");
        if (magic != MAGIC) throw in.fail(String.format("wrong magic 0x%08x, not an rwkv.cpp file (0x%08x)", magic, MAGIC));
        int version = in.i32("header");
        if (version != 100 && version != 101) throw in.fail("unsupported rwkv.cpp file version " + version + " (100 or 101 expected)");
        int nVocab = in.i32("header");
        int nEmbed = in.i32("header");
        int nLayer = in.i32("header");
        int dataType = in.i32("header");
        if (nVocab <= 0 || nEmbed <= 0 || nLayer <= 0) {
            throw in.fail("header has impossible sizes n_vocab " + nVocab + ", n_embed " + nEmbed + ", n_layer " + nLayer);
        }
        List<Tensor> tensors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        while (in.remaining() > 0) {
            long at = in.position();
            int nDims = in.i32("tensor record at " + at);
            int nameLen = in.i32("tensor record at " + at);
            int code = in.i32("tensor record at " + at);
            if (nDims < 1 || nDims > 3) throw in.fail("tensor record at offset " + at + " has " + nDims + " dims (1 to 3 allowed)");
            if (nameLen <= 0 || nameLen > MAX_NAME) throw in.fail("tensor record at offset " + at + " has name length " + nameLen);
            DType dt = CODES.dtype(code);
            long[] shape = new long[nDims];
            for (int i = 0; i < nDims; i++) {
                int d = in.i32("tensor dims at " + at);
                if (d <= 0) throw in.fail("tensor record at offset " + at + " has dimension " + d);
                shape[nDims - 1 - i] = d;
            }
            String name = in.utf8(nameLen, "tensor name at " + at);
            if (dt == null) throw in.fail("tensor " + name + " " + typeProblem(code));
            if (dt.isBlockQuantized() && version == 100) {
                throw in.fail("tensor " + name + " is " + dt + " in a version-100 file; rwkv.cpp reads quantized tensors only from version 101");
            }
            if (!seen.add(name)) throw in.fail("duplicate tensor name " + name);
            long bytes = bytes(in, name, dt, shape);
            MemorySegment data = in.slice(bytes, "data of tensor " + name);
            tensors.add(new Tensor(name, dt, shape, data));
        }
        if (tensors.isEmpty()) throw in.fail("no tensors after the header");
        return new RwkvCppFile(version, nVocab, nEmbed, nLayer, dataType, tensors);
    }

    /** Data size, checked against the rest of the file before anything is sliced. */
    static long bytes(ByteCursor in, String name, DType dt, long[] shape) throws ModelFormatException {
        long bytes;
        try {
            bytes = dt.byteSize(Tensor.numel(shape));
        } catch (ArithmeticException e) {
            throw in.fail("tensor " + name + " dimensions " + java.util.Arrays.toString(shape) + " overflow");
        }
        if (bytes < 0) throw in.fail("tensor " + name + " row of " + shape[shape.length - 1] + " is not a whole number of " + dt + " blocks");
        if (bytes > in.remaining()) {
            throw in.fail("truncated tensor data: " + name + " needs " + bytes + " bytes but only " + in.remaining() + " remain");
        }
        return bytes;
    }
}
