package dev.rwkvedge.model;

import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where a model's parameters and bytes go: embedding, each block part, head. */
public record ModelSummary(String file, String format, long fileBytes, ModelConfig config, List<Component> components) {

    /** @param bytes as stored in the file (its own dtypes) */
    public record Component(String name, long parameters, long bytes) {}

    public long parameters() {
        return components.stream().mapToLong(Component::parameters).sum();
    }

    public long bytes() {
        return components.stream().mapToLong(Component::bytes).sum();
    }

    public static ModelSummary of(Checkpoint ck, ModelConfig cfg) {
        Map<String, long[]> acc = new LinkedHashMap<>();
        for (String k : List.of("embedding", "time-mix", "channel-mix", "norms", "head")) acc.put(k, new long[2]);
        for (Tensor t : ck.tensors().values()) {
            long[] a = acc.computeIfAbsent(component(t.name()), k -> new long[2]);
            a[0] += t.numel();
            a[1] += t.data().byteSize();
        }
        List<Component> out = new ArrayList<>();
        acc.forEach((k, v) -> {
            if (v[0] > 0) out.add(new Component(k, v[0], v[1]));
        });
        return new ModelSummary(ck.path().getFileName().toString(), ck.format(), ck.fileBytes(), cfg, out);
    }

    static String component(String name) {
        if (name.startsWith("emb.")) return "embedding";
        if (name.startsWith("head.")) return "head";
        if (name.matches("blocks\\.\\d+\\.att\\..*") && !name.contains(".ln_x.")) return "time-mix";
        if (name.matches("blocks\\.\\d+\\.ffn\\..*")) return "channel-mix";
        // a sparse channel mix stores its neuron bundles and predictors per layer under this prefix (CompressedParts)
        if (name.startsWith("rwkv_edge.neurons.")) return "channel-mix";
        if (name.contains("ln") ) return "norms";
        return "other";
    }
}
