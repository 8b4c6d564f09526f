package dev.rwkvedge.io;

import dev.rwkvedge.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * llama.cpp's RWKV-6/7 tensor names (README §8.4) against rwkv.cpp's stored layout ({@link RwkvCppLayout}): the
 * element order is the same, only names and the grouping of dims differ, plus the fused token-shift mixes.
 */
final class GgufNames {
    private static final Pattern BLOCK = Pattern.compile("blk\\.(\\d+)\\.(.+)");
    private static final Pattern STORED_BLOCK = Pattern.compile("blocks\\.(\\d+)\\.(.+)");
    /** v6's lerp_fused rows, in llama.cpp's order. */
    static final List<String> V6_FUSED = List.of("w", "k", "v", "r", "g");

    private static final Map<String, String> GLOBAL = Map.of(
            "token_embd.weight", "emb.weight",
            "token_embd_norm.weight", "blocks.0.ln0.weight", "token_embd_norm.bias", "blocks.0.ln0.bias",
            "output_norm.weight", "ln_out.weight", "output_norm.bias", "ln_out.bias",
            "output.weight", "head.weight");
    private static final Map<String, String> COMMON = new LinkedHashMap<>();
    private static final Map<String, String> V7 = new LinkedHashMap<>();
    private static final Map<String, String> V6 = new LinkedHashMap<>();

    static {
        for (String wb : List.of("weight", "bias")) {
            COMMON.put("attn_norm." + wb, "ln1." + wb);
            COMMON.put("attn_norm_2." + wb, "ln2." + wb);
            COMMON.put("time_mix_ln." + wb, "att.ln_x." + wb);
        }
        for (String m : List.of("receptance", "key", "value", "output", "gate")) COMMON.put("time_mix_" + m + ".weight", "att." + m + ".weight");
        for (String m : List.of("key", "value", "receptance")) COMMON.put("channel_mix_" + m + ".weight", "ffn." + m + ".weight");
        for (String m : List.of("w0", "a0", "v0", "w1", "a1", "v1", "g1", "w2", "a2", "v2", "g2", "k_k", "k_a", "r_k")) {
            V7.put("time_mix_" + m + ".weight", "att." + m);
        }
        V7.put("time_mix_lerp_fused.weight", "att.x_rwkvag");
        V7.put("channel_mix_lerp_k.weight", "ffn.x_k");
        V6.put("time_mix_lerp_x.weight", "att.time_maa_x");
        V6.put("time_mix_w1.weight", "att.time_maa_w1");
        V6.put("time_mix_w2.weight", "att.time_maa_w2");
        V6.put("time_mix_decay.weight", "att.time_decay");
        V6.put("time_mix_decay_w1.weight", "att.time_decay_w1");
        V6.put("time_mix_decay_w2.weight", "att.time_decay_w2");
        V6.put("time_mix_first.weight", "att.time_faaaa");
        V6.put("channel_mix_lerp_k.weight", "ffn.time_maa_k");
        V6.put("channel_mix_lerp_r.weight", "ffn.time_maa_r");
    }

    private GgufNames() {}

    private static Map<String, String> blockNames(Generation gen) {
        Map<String, String> m = new LinkedHashMap<>(COMMON);
        m.putAll(gen == Generation.V7 ? V7 : V6);
        return m;
    }

    /** GGUF tensors to rwkv.cpp's stored names and shapes; {@code s} is the head size. */
    static List<Tensor> toStored(List<Tensor> gguf, Generation gen, long s) {
        Map<String, String> block = blockNames(gen);
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : gguf) {
            String n = t.name();
            if (GLOBAL.containsKey(n)) {
                out.add(t.withName(GLOBAL.get(n)));
                continue;
            }
            Matcher m = BLOCK.matcher(n);
            if (!m.matches()) throw new IllegalArgumentException("unknown tensor " + n);
            String layer = m.group(1);
            String rest = m.group(2);
            // the converter's copies of a0/a1/a2 that only satisfy llama.cpp's loader; layer 0 has no value residual
            if (gen == Generation.V7 && layer.equals("0") && rest.matches("time_mix_v[012]\\.weight")) continue;
            String prefix = "blocks." + layer + ".";
            if (gen == Generation.V6 && rest.equals("time_mix_lerp_fused.weight")) {
                if (t.shape()[0] != V6_FUSED.size()) throw new IllegalArgumentException(n + " " + t.shapeString() + " is not 5 fused mixes");
                long c = t.cols();
                for (int i = 0; i < V6_FUSED.size(); i++) out.add(TensorOps.row(t, i, prefix + "att.time_maa_" + V6_FUSED.get(i), c));
                continue;
            }
            String stored = block.get(rest);
            if (stored == null) throw new IllegalArgumentException("unknown " + gen + " tensor " + n);
            out.add(TensorOps.reshape(t, prefix + stored, storedShape(stored, t, gen, s)));
        }
        return out;
    }

    private static long[] storedShape(String stored, Tensor t, Generation gen, long s) {
        long n = t.numel();
        if (stored.equals("att.x_rwkvag")) return new long[] {6, 1, t.cols()};
        if (stored.equals("att.r_k")) return new long[] {n / s, s};
        if (stored.matches("att\\.(w0|a0|v0|k_k|k_a)|ffn\\.x_k")) return new long[] {1, 1, n};
        if (gen == Generation.V6 && stored.equals("att.time_decay")) return new long[] {n / s, s, 1};
        if (stored.equals("att.time_faaaa")) return new long[] {n / s, s, 1};
        return t.shape();
    }

    /** rwkv.cpp's stored tensors to GGUF names and dims (inverse of {@link #toStored}). */
    static List<Tensor> fromStored(List<Tensor> stored, Generation gen) {
        Map<String, String> inverse = new LinkedHashMap<>();
        blockNames(gen).forEach((g, s) -> inverse.put(s, g));
        Map<String, String> global = new LinkedHashMap<>();
        GLOBAL.forEach((g, s) -> global.put(s, g));
        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (Tensor t : stored) byName.put(t.name(), t);
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : stored) {
            String n = t.name();
            if (global.containsKey(n)) {
                out.add(t.withName(global.get(n)));
                continue;
            }
            Matcher m = STORED_BLOCK.matcher(n);
            if (!m.matches()) throw new IllegalArgumentException("tensor " + n + " has no GGUF name");
            String prefix = "blk." + m.group(1) + ".";
            String rest = m.group(2);
            if (gen == Generation.V6 && rest.matches("att\\.time_maa_[wkvrg]")) {
                if (!rest.endsWith("_w")) continue;
                String base = "blocks." + m.group(1) + ".att.time_maa_";
                List<Tensor> parts = new ArrayList<>();
                for (String x : V6_FUSED) {
                    Tensor p = byName.get(base + x);
                    if (p == null) throw new IllegalArgumentException("missing tensor " + base + x);
                    parts.add(p);
                }
                out.add(TensorOps.stack(parts, prefix + "time_mix_lerp_fused.weight", 5, 1, 1, t.numel()));
                continue;
            }
            String g = inverse.get(rest);
            if (g == null) throw new IllegalArgumentException("tensor " + n + " has no " + gen + " GGUF name");
            out.add(TensorOps.reshape(t, prefix + g, ggufShape(rest, t)));
        }
        if (gen == Generation.V7) addLayerZeroValueCopies(out);
        return out;
    }

    private static long[] ggufShape(String stored, Tensor t) {
        long[] s = t.shape();
        if (stored.equals("att.x_rwkvag")) return new long[] {6, 1, 1, t.cols()};
        if (stored.matches("att\\.(w0|a0|v0|k_k|k_a|r_k|time_decay)|ffn\\.x_k")) return new long[] {t.numel()};
        if (stored.equals("att.time_faaaa")) return new long[] {s[0], s[1]};
        return s;
    }

    /** llama.cpp's loader wants blk.0.time_mix_v0/v1/v2 although layer 0 never uses them; its converter copies a0/a1/a2. */
    private static void addLayerZeroValueCopies(List<Tensor> out) {
        for (String i : List.of("0", "1", "2")) {
            String name = "blk.0.time_mix_v" + i + ".weight";
            if (out.stream().anyMatch(t -> t.name().equals(name))) continue;
            Tensor a = out.stream().filter(t -> t.name().equals("blk.0.time_mix_a" + i + ".weight")).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("layer 0 has no att.a" + i + " to stand in for v" + i));
            out.add(a.withName(name));
        }
    }
}
