package dev.rwkvedge.io;

import dev.rwkvedge.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The mapping between rwkv.cpp's stored tensors (README §1.2, shapes given here in PyTorch order, i.e. the ggml dims
 * reversed) and BlinkDL's state dict (§9.3). rwkv.cpp's converter squeezes the token-shift mixes, transposes the LoRA
 * and maa matrices, fuses v7's six mixes and pre-computes the v4/v5 decays; each step is undone here, and done again
 * for the writers. GGUF shares this layout (§8.4: "the same data, the dims merely re-grouped"), so it reuses it.
 */
final class RwkvCppLayout {
    static final String X_NAMES = "rwkvag";

    private RwkvCppLayout() {}

    static Map<String, Tensor> toCanonical(List<Tensor> stored, Generation gen) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Tensor t : stored) {
            String n = t.name();
            long[] s = t.shape();
            if (gen == Generation.V7 && n.endsWith("att.x_rwkvag")) {
                String prefix = n.substring(0, n.length() - "rwkvag".length());
                long c = s[s.length - 1];
                if (s.length != 3 || s[0] != 6 || s[1] != 1) throw shape(t, "(6, 1, C)");
                for (int i = 0; i < 6; i++) {
                    String x = prefix + X_NAMES.charAt(i);
                    out.put(x, TensorOps.row(t, i, x, 1, 1, c));
                }
            } else if (isTransposed(n, gen)) {
                out.put(n, TensorOps.swapLastTwo(t, n));
            } else if (isMixVector(n)) {
                out.put(n, TensorOps.reshape(t, n, 1, 1, t.numel()));
            } else if (gen.isV5() && n.endsWith("att.time_decay")) {
                long[] shape = gen == Generation.V5_1 ? new long[] {s[0]} : new long[] {s[0], s[1]};
                out.put(n, Decays.fromStored(t, n, gen, shape));
            } else if (gen == Generation.V5_1 && n.endsWith("att.time_first")) {
                out.put(n, Decays.fromStored(t, n, gen, s[0]));
            } else if (gen == Generation.V4 && n.endsWith("att.time_decay")) {
                out.put(n, Decays.fromStored(t, n, gen, s[0]));
            } else if (gen == Generation.V6 && n.endsWith("att.time_decay")) {
                out.put(n, TensorOps.reshape(t, n, 1, 1, t.numel()));
            } else if (n.endsWith("att.time_faaaa")) {
                if (s.length != 3 || s[2] != 1) throw shape(t, "(H, S, 1)");
                out.put(n, TensorOps.reshape(t, n, s[0], s[1]));
            } else {
                out.put(n, t);
            }
        }
        return out;
    }

    /** The inverse: rwkv.cpp names and stored shapes (PyTorch order), in canonical order with the mixes fused. */
    static List<Tensor> toStored(Map<String, Tensor> canonical, Generation gen) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : canonical.values()) {
            String n = t.name();
            long[] s = t.shape();
            if (gen == Generation.V7 && n.matches(".*att\\.x_[rwkvag]")) {
                if (!n.endsWith("x_r")) continue;
                String prefix = n.substring(0, n.length() - 1);
                List<Tensor> parts = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    Tensor p = canonical.get(prefix + X_NAMES.charAt(i));
                    if (p == null) throw new IllegalArgumentException("missing tensor " + prefix + X_NAMES.charAt(i));
                    parts.add(p);
                }
                out.add(TensorOps.stack(parts, prefix + X_NAMES, 6, 1, t.numel()));
            } else if (isTransposed(n, gen)) {
                out.add(TensorOps.swapLastTwo(t, n));
            } else if (isMixVector(n)) {
                out.add(TensorOps.reshape(t, n, t.numel()));
            } else if (gen.isV5() && n.endsWith("att.time_decay")) {
                long[] shape = gen == Generation.V5_1 ? new long[] {s[0], 1, 1} : new long[] {s[0], s[1], 1};
                out.add(Decays.toStored(t, n, gen, shape));
            } else if (gen == Generation.V5_1 && n.endsWith("att.time_first")) {
                out.add(Decays.toStored(t, n, gen, s[0], 1, 1));
            } else if (gen == Generation.V4 && n.endsWith("att.time_decay")) {
                out.add(Decays.toStored(t, n, gen, s[0]));
            } else if (gen == Generation.V6 && n.endsWith("att.time_decay")) {
                Tensor bonus = canonical.get(n.replace("time_decay", "time_faaaa"));
                if (bonus == null || bonus.rank() != 2) throw new IllegalArgumentException("v6 " + n + " needs a (H, S) time_faaaa");
                out.add(TensorOps.reshape(t, n, bonus.shape()[0], bonus.shape()[1], 1));
            } else if (n.endsWith("att.time_faaaa")) {
                out.add(TensorOps.reshape(t, n, s[0], s[1], 1));
            } else {
                out.add(t);
            }
        }
        return out;
    }

    /** Token-shift mixes: (1, 1, C) in BlinkDL's files, squeezed to (C) by rwkv.cpp. */
    static boolean isMixVector(String n) {
        return MIX_VECTOR.matcher(n).matches();
    }

    private static final Pattern MIX_VECTOR =
            Pattern.compile(".*(att|ffn)\\.time_mix_[kvrg]|.*att\\.time_maa_[xwkvrg]|.*ffn\\.time_maa_[kr]");
    private static final Pattern TRANSPOSED_V6 = Pattern.compile(".*att\\.time_(maa|decay)_w[12]");
    private static final Pattern TRANSPOSED_V7 = Pattern.compile(".*att\\.[wavg][12]");

    /** Matrices rwkv.cpp stores with the last two axes swapped. */
    static boolean isTransposed(String n, Generation gen) {
        return switch (gen) {
            case V6 -> TRANSPOSED_V6.matcher(n).matches();
            case V7 -> TRANSPOSED_V7.matcher(n).matches();
            default -> false;
        };
    }

    private static IllegalArgumentException shape(Tensor t, String want) {
        return new IllegalArgumentException("tensor " + t.name() + " has shape " + t.shapeString() + ", expected " + want);
    }
}
