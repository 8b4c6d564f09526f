package dev.rwkvedge.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads safetensors files (BlinkDL names, or web-rwkv/ai00 ".st" names mapped back by {@link WebRwkvNames}). */
final class SafetensorsReader {
    /** Headers above this are not model headers (a 14B model's is about 200 KB); it bounds the heap a length can claim. */
    static final long MAX_HEADER = 16L << 20;

    private SafetensorsReader() {}

    /** The file as stored: tensors in header order and the __metadata__ strings. */
    record Content(List<Tensor> tensors, Map<String, String> metadata) {}

    static Checkpoint read(Path path, MemorySegment seg, Arena arena) throws ModelFormatException {
        Content c = parse(path, seg);
        Map<String, Tensor> tensors = WebRwkvNames.toBlinkDL(path, c.tensors());
        return new Checkpoint(path, "safetensors", tensors, c.metadata(), Optional.empty(), Optional.empty(), arena);
    }

    static DType dtypeOf(String s) {
        return switch (s) {
            case "F32" -> DType.F32;
            case "F16" -> DType.F16;
            case "BF16" -> DType.BF16;
            case "I8" -> DType.I8;
            // not safetensors dtypes: our compressed files store ggml's 4-bit blocks under their ggml names
            case "Q4_0" -> DType.Q4_0;
            case "Q4_1" -> DType.Q4_1;
            default -> null;
        };
    }

    static Content parse(Path path, MemorySegment seg) throws ModelFormatException {
        ByteCursor in = new ByteCursor(path, seg, 0);
        long n = in.i64("safetensors header length");
        if (n < 2 || n > in.remaining()) {
            throw in.fail("safetensors header length " + Long.toUnsignedString(n) + " is beyond the file (" + seg.byteSize() + " bytes)");
        }
        if (n > MAX_HEADER) throw in.fail("safetensors header length " + n + " is beyond the " + MAX_HEADER + " bytes a model header needs");
        String json = in.utf8(n, "safetensors header");
        long dataStart = 8 + n;
        long dataBytes = seg.byteSize() - dataStart;
        JsonNode root;
        try {
            // the header is padded with spaces only: anything else after the JSON object is damage
            ObjectMapper om = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
            root = om.readTree(json);
        } catch (JacksonException e) {
            String why = e.getOriginalMessage();
            throw in.fail((why.startsWith("Duplicate field") ? "duplicate name in safetensors header: " : "malformed safetensors JSON header: ") + why);
        }
        if (root == null || !root.isObject()) throw in.fail("malformed safetensors JSON header: not an object");
        List<Tensor> tensors = new ArrayList<>();
        Map<String, String> meta = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode v = e.getValue();
            if (name.equals("__metadata__")) {
                if (!v.isObject()) throw in.fail("safetensors __metadata__ is not an object");
                v.fields().forEachRemaining(kv -> meta.put(kv.getKey(), kv.getValue().asText()));
                continue;
            }
            tensors.add(tensor(in, name, v, dataStart, dataBytes));
        }
        requireExactCover(in, tensors, dataStart, dataBytes);
        return new Content(tensors, meta);
    }

    /**
     * The format requires the tensors to tile the data section: no overlap, no gap, nothing after the last. A header
     * whose offsets were damaged (one byte short, say) would otherwise read every weight shifted.
     */
    private static void requireExactCover(ByteCursor in, List<Tensor> tensors, long dataStart, long dataBytes) throws ModelFormatException {
        List<Tensor> byOffset = new ArrayList<>(tensors);
        byOffset.sort(java.util.Comparator.comparingLong(t -> t.data().address()));
        long expect = dataStart;
        String previous = "the header";
        for (Tensor t : byOffset) {
            long begin = t.data().address() - in.segment().address();
            if (begin != expect) {
                throw in.fail("tensor " + t.name() + " starts at data byte " + (begin - dataStart) + " but " + previous + " ends at "
                        + (expect - dataStart) + (begin < expect ? ": overlapping tensors" : ": a gap in the data section"));
            }
            expect = begin + t.data().byteSize();
            previous = "tensor " + t.name();
        }
        if (expect != dataStart + dataBytes) {
            throw in.fail("the data section has " + (dataStart + dataBytes - expect) + " bytes after the last tensor, which the header does not describe");
        }
    }

    private static Tensor tensor(ByteCursor in, String name, JsonNode v, long dataStart, long dataBytes) throws ModelFormatException {
        JsonNode shapeNode = v.get("shape");
        JsonNode offs = v.get("data_offsets");
        if (!v.isObject() || !v.path("dtype").isTextual() || shapeNode == null || !shapeNode.isArray() || offs == null
                || !offs.isArray() || offs.size() != 2) {
            throw in.fail("malformed safetensors entry for tensor " + name + ": it needs a dtype, a shape and two data_offsets");
        }
        DType dt = dtypeOf(v.get("dtype").asText());
        if (dt == null) throw in.fail("tensor " + name + " has unsupported dtype " + v.get("dtype").asText());
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
                throw in.fail("tensor " + name + " has invalid dimension " + ModelFormatException.shown(d.toString()));
            }
            shape[i] = d.asLong();
        }
        long begin = offs.get(0).asLong(-1);
        long end = offs.get(1).asLong(-1);
        if (!offs.get(0).isIntegralNumber() || !offs.get(1).isIntegralNumber() || !offs.get(0).canConvertToLong()
                || !offs.get(1).canConvertToLong() || begin < 0 || end < begin) {
            throw in.fail("tensor " + name + " has invalid data_offsets " + ModelFormatException.shown(offs.toString()));
        }
        if (end > dataBytes) throw in.fail("truncated tensor data: " + name + " spans bytes " + begin + ".." + end + " of a " + dataBytes + "-byte data section");
        long need;
        try {
            need = dt.byteSize(Tensor.numel(shape));
        } catch (ArithmeticException e) {
            throw in.fail("tensor " + name + " dimensions " + ModelFormatException.shown(shape) + " overflow");
        }
        if (need != end - begin) {
            throw in.fail("tensor " + name + " shape " + ModelFormatException.shown(shape) + " needs " + need + " bytes but spans " + (end - begin));
        }
        return new Tensor(name, dt, shape, in.segment().asSlice(dataStart + begin, end - begin));
    }
}
