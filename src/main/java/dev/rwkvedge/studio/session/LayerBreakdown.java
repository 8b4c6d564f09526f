package dev.rwkvedge.studio.session;

import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.model.ModelConfig;
import dev.rwkvedge.model.ModelSummary;
import dev.rwkvedge.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The per-block table of the overview. */
public final class LayerBreakdown {
    private LayerBreakdown() {}

    public static List<LayerRow> of(Checkpoint ck, ModelConfig cfg) {
        List<Map<String, Tensor>> perLayer = new ArrayList<>();
        for (int i = 0; i < cfg.layers(); i++) perLayer.add(new LinkedHashMap<>());
        for (Tensor t : ck.tensors().values()) {
            int layer = layerOf(t.name());
            if (layer >= 0 && layer < perLayer.size()) perLayer.get(layer).put(t.name(), t);
        }
        List<LayerRow> rows = new ArrayList<>();
        for (int i = 0; i < perLayer.size(); i++) {
            // a view of just this block's tensors, so the split into parts is exactly ModelSummary's
            Checkpoint block = new Checkpoint(ck.path(), ck.format(), perLayer.get(i), Map.of(), Optional.empty(),
                    Optional.empty(), null);
            ModelSummary s = ModelSummary.of(block, cfg);
            rows.add(new LayerRow(i, parameters(s, "time-mix"), parameters(s, "channel-mix"), parameters(s, "norms"),
                    s.parameters(), s.bytes()));
        }
        return rows;
    }

    private static long parameters(ModelSummary s, String component) {
        return s.components().stream().filter(c -> c.name().equals(component))
                .mapToLong(ModelSummary.Component::parameters).sum();
    }

    private static int layerOf(String name) {
        if (!name.startsWith("blocks.")) return -1;
        int end = name.indexOf('.', 7);
        try {
            return Integer.parseInt(name.substring(7, end));
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
