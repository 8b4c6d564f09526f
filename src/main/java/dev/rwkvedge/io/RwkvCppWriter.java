package dev.rwkvedge.io;

import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes version-101 rwkv.cpp files from BlinkDL tensors, with rwkv.cpp's converter transforms (README §1.2) and its
 * type choices: FP32 stores everything as F32; FP16 follows the converter (2-D matrices F16 except the time_* / mix /
 * decay ones); Q8_0 follows rwkv.cpp's quantizer (2-D matrices except emb, head and the v7 LoRAs).
 */
public final class RwkvCppWriter {
    static final int VERSION = 101;

    private RwkvCppWriter() {}

    public static void write(Path dest, Map<String, Tensor> canonical, DType target) throws IOException {
        if (target != DType.F32 && target != DType.F16 && target != DType.Q8_0) {
            throw new IllegalArgumentException("rwkv.cpp output type must be F32, F16 or Q8_0, not " + target);
        }
        Generation gen = Generation.detect(canonical.keySet());
        Tensor emb = canonical.get("emb.weight");
        if (emb == null || emb.rank() != 2) throw new IllegalArgumentException("an rwkv.cpp file needs a 2-D emb.weight");
        int layers = 1 + canonical.keySet().stream().filter(n -> n.startsWith("blocks."))
                .mapToInt(n -> Integer.parseInt(n.split("\\.")[1])).max().orElseThrow(() -> new IllegalArgumentException("no blocks.* tensors"));
        List<Tensor> stored = new ArrayList<>();
        for (Tensor t : RwkvCppLayout.toStored(canonical, gen)) stored.add(convert(t, target));
        AtomicFile.write(dest, out -> {
            out.i32(RwkvCppFile.MAGIC).i32(VERSION).i32(Math.toIntExact(emb.shape()[0])).i32(Math.toIntExact(emb.shape()[1]))
                    .i32(layers).i32(RwkvCppFile.CODES.code(target));
            for (Tensor t : stored) {
                byte[] name = t.name().getBytes(StandardCharsets.UTF_8);
                long[] s = t.shape();
                out.i32(s.length).i32(name.length).i32(RwkvCppFile.CODES.code(t.dtype()));
                for (int i = s.length - 1; i >= 0; i--) out.i32(Math.toIntExact(s[i]));
                out.bytes(name).segment(t.data());
            }
        }, stored, (tmp, arena) -> RwkvCppFile.parse(tmp, MappedFile.map(tmp, arena)).tensors());
    }

    private static Tensor convert(Tensor t, DType target) {
        DType want = t.rank() != 2 ? DType.F32 : switch (target) {
            case F16 -> F32_ONLY.matcher(t.name()).find() ? DType.F32 : DType.F16;
            case Q8_0 -> QUANT_EXCLUDED.matcher(t.name()).find() || t.cols() % 32 != 0 ? DType.F32 : DType.Q8_0;
            default -> DType.F32;
        };
        if (t.dtype() == want) return t;
        float[] v = t.toFloats();
        MemorySegment seg = switch (want) {
            case F32 -> MemorySegment.ofArray(v);
            case F16 -> {
                short[] h = new short[v.length];
                for (int i = 0; i < v.length; i++) h[i] = Float.floatToFloat16(v[i]);
                yield MemorySegment.ofArray(h);
            }
            default -> MemorySegment.ofArray(q8_0(v));
        };
        return new Tensor(t.name(), want, t.shape(), seg);
    }

    /** Names rwkv.cpp's converter keeps in F32 whatever the requested type. */
    private static final java.util.regex.Pattern F32_ONLY =
            java.util.regex.Pattern.compile("\\.time_|\\.(k_k|k_a|r_k|x_rwkvag|x_k|w0|a0|v0)$");
    /** Names rwkv.cpp's quantizer leaves in their type. */
    private static final java.util.regex.Pattern QUANT_EXCLUDED =
            java.util.regex.Pattern.compile("^(emb|head)\\.weight$|att\\.(v1|v2|g1|g2|a1|a2|w1|w2|r_k)");

    /** ggml's reference Q8_0 quantizer: d = amax / 127 stored as f16, q = roundf(x / d) computed with the f32 d. */
    static byte[] q8_0(float[] x) {
        byte[] out = new byte[x.length / 32 * 34];
        MemorySegment o = MemorySegment.ofArray(out);
        for (int b = 0; b < x.length / 32; b++) {
            float amax = 0;
            for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[b * 32 + j]));
            float d = amax / 127;
            float id = d != 0 ? 1 / d : 0;
            o.set(ValueLayout.JAVA_SHORT_UNALIGNED, b * 34L, Float.floatToFloat16(d));
            for (int j = 0; j < 32; j++) {
                float v = x[b * 32 + j] * id;
                double r = v >= 0 ? Math.floor((double) v + 0.5) : -Math.floor(-(double) v + 0.5);
                out[b * 34 + 2 + j] = (byte) r;
            }
        }
        return out;
    }
}
