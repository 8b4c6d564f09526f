package dev.rwkvedge.compress;

import dev.rwkvedge.analysis.ContentHash;
import dev.rwkvedge.task.ProgressListener;
import dev.rwkvedge.compress.quant.PackedProjection;
import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.io.Checkpoints;
import dev.rwkvedge.io.SafetensorsWriter;
import dev.rwkvedge.model.ModelSummary;
import dev.rwkvedge.model.ConfigDetector;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.model.StoredProjection;
import dev.rwkvedge.runtime.Block;
import dev.rwkvedge.runtime.DenseHead;
import dev.rwkvedge.runtime.DenseProjection;
import dev.rwkvedge.runtime.Int8Projection;
import dev.rwkvedge.runtime.LowRankProjection;
import dev.rwkvedge.runtime.Projection;
import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tokenizer.Tokenizers;
import dev.rwkvedge.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One safetensors file holding a compressed model: the source's tensors where they were kept, and each substituted
 * part in its stored form (see {@link StoredProjection}), with the recipe, the source's SHA-256 and the generation in
 * the metadata. Our engine opens it like any model file.
 */
public final class CompressedModelFile {
    public static final String FORMAT_KEY = "rwkv_edge.format", FORMAT = "compressed/1";
    /** Block projections stored under BlinkDL's "X.weight" names; the others (v7's LoRA factors) are stored transposed. */
    static final Set<String> WEIGHT_PROJECTIONS = Set.of("att.receptance", "att.key", "att.value", "att.output",
            "att.gate", "ffn.key", "ffn.value", "ffn.receptance");

    private CompressedModelFile() {}

    /** Writes the file and returns what it stores per component, read back from the written file. */
    public static ModelSummary write(Path dest, LoadedModel compressed, Recipe recipe, Compressor.Applied applied)
            throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>(compressed.checkpoint().tensors());
        RwkvModel model = compressed.model();
        for (int l = 0; l < model.blocks().size(); l++) {
            Block b = model.blocks().get(l);
            for (var e : Compressor.allProjections(b).entrySet()) {
                if (e.getValue() instanceof DenseProjection) continue;
                String stored = "blocks." + l + "." + e.getKey();
                if (WEIGHT_PROJECTIONS.contains(e.getKey())) {
                    out.remove(stored + ".weight");
                    put(out, stored + ".weight", e.getValue());
                } else {
                    out.remove(stored);
                    put(out, stored + StoredProjection.AS_PROJECTION, e.getValue());
                }
            }
        }
        if (model.head() instanceof DenseHead(Projection p) && !(p instanceof DenseProjection)) {
            out.remove("head.weight");
            put(out, "head.weight", p);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        CompressedParts.export(model, out, meta);
        meta.put(FORMAT_KEY, FORMAT);
        meta.put("rwkv_edge.generation", compressed.config().generation().label);
        meta.put(ConfigDetector.GROUP_NORM_EPS_KEY, Float.toString(compressed.config().groupNormEps()));
        meta.put("rwkv_edge.recipe", recipe.toJson());
        meta.put("rwkv_edge.source", compressed.path().getFileName().toString());
        meta.put(Tokenizers.SOURCE_PATH_KEY, compressed.path().toAbsolutePath().toString());
        meta.put("rwkv_edge.source_sha256", ContentHash.sha256(compressed.path(), ProgressListener.NONE));
        meta.put("rwkv_edge.ranks", Recipe.MAPPER.writeValueAsString(applied.ranks()));
        if (!applied.quantization().precisions().isEmpty()) {
            meta.put("rwkv_edge.precisions", Recipe.MAPPER.writeValueAsString(applied.quantization().precisions()));
        }
        SafetensorsWriter.write(dest, out, meta);
        try (Checkpoint ck = Checkpoints.open(dest)) {
            return ModelSummary.of(ck, compressed.config());
        }
    }

    private static void put(Map<String, Tensor> out, String name, Projection p) {
        switch (p) {
            case PackedProjection q -> out.put(name, q.stored().withName(name));
            case DenseProjection d -> out.put(name, Tensor.ofFloats(name, d.toArray(), d.outDim(), d.inDim()));
            case Int8Projection q -> {
                out.put(name, new Tensor(name, DType.I8, new long[] {q.outDim(), q.inDim()}, q.values()));
                out.put(name + StoredProjection.SCALE, Tensor.ofFloats(name + StoredProjection.SCALE, q.scales(), q.outDim()));
            }
            case LowRankProjection lr -> {
                put(out, name + StoredProjection.LOW_RANK_A, lr.first());
                put(out, name + StoredProjection.LOW_RANK_B, lr.second());
            }
            default -> throw new IllegalArgumentException(name + ": cannot store a " + p.getClass().getSimpleName());
        }
    }
}
