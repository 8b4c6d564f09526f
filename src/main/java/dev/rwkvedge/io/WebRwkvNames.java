package dev.rwkvedge.io;

import dev.rwkvedge.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * web-rwkv / ai00 ".st" files are safetensors made by ai00's {@code convert_safetensors.py}: all tensors F16, names
 * renamed {@code time_faaaa -> time_first} and {@code time_maa -> time_mix}, and the LoRA / maa matrices (v6
 * time_mix_w1|w2, time_decay_w1|w2; v7 w1, w2, a1, a2, g1, g2, v1, v2) with their last two axes swapped. Plain
 * BlinkDL safetensors pass through untouched; an ai00 file is recognised by those renamed or swapped tensors.
 */
final class WebRwkvNames {
    private WebRwkvNames() {}

    static Map<String, Tensor> toBlinkDL(Path path, List<Tensor> stored) throws ModelFormatException {
        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (Tensor t : stored) byName.put(t.name(), t);
        Style style = style(byName);
        if (style == Style.BLINKDL) return byName;
        Map<String, Tensor> out = new LinkedHashMap<>();
        try {
            for (Tensor t : stored) {
                String n = blinkName(t.name(), style);
                boolean swap = style == Style.V6 ? n.matches(".*att\\.time_(maa|decay)_w[12]") : style == Style.V7 && n.matches(".*att\\.[wavg][12]");
                out.put(n, swap ? TensorOps.swapLastTwo(t, n) : t.withName(n));
            }
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(path, "shape mismatch in web-rwkv tensors: " + e.getMessage(), e);
        }
        return out;
    }

    private enum Style { BLINKDL, V5_2, V6, V7 }

    private static Style style(Map<String, Tensor> t) {
        if (t.containsKey("blocks.0.att.time_mix_x")) return Style.V6;
        if (t.containsKey("blocks.0.att.gate.weight") && t.containsKey("blocks.0.att.time_first")
                && t.get("blocks.0.att.time_first").rank() == 2 && t.get("blocks.0.att.time_first").shape()[1] > 1) {
            return Style.V5_2;
        }
        Tensor w1 = t.get("blocks.0.att.w1");
        Tensor emb = t.get("emb.weight");
        if (t.containsKey("blocks.0.att.r_k") && w1 != null && emb != null && w1.rank() == 2) {
            long c = emb.cols();
            if (w1.shape()[1] == c && w1.shape()[0] != c) return Style.V7;
        }
        return Style.BLINKDL;
    }

    private static String blinkName(String n, Style style) {
        if (style == Style.V6) n = n.replace("time_mix_", "time_maa_");
        if (style != Style.V7) n = n.replace("time_first", "time_faaaa");
        return n;
    }
}
