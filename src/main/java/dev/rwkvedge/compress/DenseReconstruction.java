package dev.rwkvedge.compress;

import dev.rwkvedge.io.PthWriter;
import dev.rwkvedge.io.RwkvCppWriter;
import dev.rwkvedge.io.SafetensorsWriter;
import dev.rwkvedge.model.ConfigDetector;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.model.ModelLoader;
import dev.rwkvedge.runtime.Block;
import dev.rwkvedge.runtime.DenseHead;
import dev.rwkvedge.runtime.DenseProjection;
import dev.rwkvedge.runtime.Projection;
import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The compressed weights multiplied out into ordinary dense matrices (factors multiplied, int8 dequantized;
 * predictors and clusters dropped), under BlinkDL's names, so rwkv.cpp, ChatRWKV and other runtimes can run them.
 */
public final class DenseReconstruction {
    private DenseReconstruction() {}

    public static Map<String, Tensor> tensors(LoadedModel compressed) {
        Map<String, Tensor> out = new LinkedHashMap<>(compressed.checkpoint().tensors());
        var model = compressed.model();
        for (int l = 0; l < model.blocks().size(); l++) {
            Block b = model.blocks().get(l);
            for (var e : Compressor.allProjections(b).entrySet()) {
                Projection p = e.getValue();
                if (p instanceof DenseProjection) continue;
                boolean weight = CompressedModelFile.WEIGHT_PROJECTIONS.contains(e.getKey());
                String name = "blocks." + l + "." + e.getKey() + (weight ? ".weight" : "");
                out.keySet().removeIf(k -> k.startsWith(name));
                float[] m = p.toArray();
                // LoRA factors are stored as (in, out) for x @ M
                out.put(name, weight ? Tensor.ofFloats(name, m, p.outDim(), p.inDim())
                        : Tensor.ofFloats(name, ModelLoader.transpose(m, p.outDim(), p.inDim()), p.inDim(), p.outDim()));
            }
        }
        if (model.head() instanceof DenseHead(Projection p) && !(p instanceof DenseProjection)) {
            out.keySet().removeIf(k -> k.startsWith("head.weight"));
            out.put("head.weight", Tensor.ofFloats("head.weight", p.toArray(), p.outDim(), p.inDim()));
        }
        // a reloaded compressed file keeps 4-bit matrices as projections over their blocks: widen them too
        out.replaceAll((name, t) -> t.dtype().isBlockQuantized() ? Tensor.ofFloats(name, t.toFloats(), t.shape()) : t);
        return out;
    }

    /** Writes the reconstruction in the format the file name says: .pth, .safetensors or .bin (rwkv.cpp FP32). */
    public static void write(Path dest, LoadedModel compressed) throws IOException {
        Map<String, Tensor> t = tensors(compressed);
        String name = dest.getFileName().toString().toLowerCase();
        if (name.endsWith(".pth")) PthWriter.write(dest, t);
        else if (name.endsWith(".safetensors")) {
            SafetensorsWriter.write(dest, t, Map.of(ConfigDetector.GROUP_NORM_EPS_KEY,
                    Float.toString(compressed.config().groupNormEps())));
        } else if (name.endsWith(".bin")) RwkvCppWriter.write(dest, t, DType.F32);
        else throw new IOException(dest + ": unknown export format; use a .pth, .safetensors or .bin (rwkv.cpp) name");
    }
}
