package dev.rwkvedge.compress.size;

import dev.rwkvedge.compress.SizeReport;
import dev.rwkvedge.io.Generation;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.runtime.Block;
import dev.rwkvedge.runtime.DenseChannelMix;
import dev.rwkvedge.runtime.DenseHead;
import dev.rwkvedge.runtime.DenseProjection;
import dev.rwkvedge.runtime.Projection;
import dev.rwkvedge.runtime.RwkvModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the size of a compressed copy depends on in the dense model, read once when it opens: every projection's
 * shape and bytes, the fixed parts of each block, the embedding and head. Nothing here holds a weight.
 *
 * @param embd            the model width C
 * @param vocab           the vocabulary V
 * @param denseHead       whether the head is one dense float projection (the only head int8 replaces)
 * @param headBias        whether the head has an output bias (V floats)
 * @param dense           the dense model's own report (its embedding, norms and head parts are reused)
 */
public record ModelShapes(Generation generation, int embd, int vocab, List<BlockShape> blocks, boolean denseHead,
                          boolean headBias, SizeReport dense) {

    /** One projection: its shape, what it holds now, and whether it is a plain float matrix (one that can be cut). */
    public record Matrix(int out, int in, long residentBytes, long parameters, boolean plain) {
        static Matrix of(Projection p) {
            return new Matrix(p.outDim(), p.inDim(), p.residentBytes(), p.parameters(), p instanceof DenseProjection);
        }
    }

    /**
     * @param timeMix       the time mix's projections by name within the block ("att.key")
     * @param vectorParams  the time mix's parameters outside projections (float32 vectors)
     * @param channelMix    the channel mix's projections ("ffn.key", "ffn.value", "ffn.receptance")
     * @param shiftParams   the channel mix's mixing vectors (float32)
     * @param denseMix      whether the channel mix is the dense one a sparse mix can replace
     */
    public record BlockShape(Map<String, Matrix> timeMix, long vectorParams, Map<String, Matrix> channelMix,
                             long shiftParams, boolean denseMix) {}

    public static ModelShapes of(LoadedModel loaded) {
        RwkvModel m = loaded.model();
        List<BlockShape> blocks = new ArrayList<>();
        for (Block b : m.blocks()) {
            Map<String, Matrix> tm = new LinkedHashMap<>(), cm = new LinkedHashMap<>();
            b.timeMix().projections().forEach((n, p) -> tm.put(n, Matrix.of(p)));
            b.channelMix().projections().forEach((n, p) -> cm.put(n, Matrix.of(p)));
            boolean denseMix = b.channelMix() instanceof DenseChannelMix;
            long shift = denseMix ? b.channelMix().vectorParameters() : 0;
            blocks.add(new BlockShape(tm, b.timeMix().vectorParameters(), cm, shift, denseMix));
        }
        var cfg = loaded.config();
        boolean denseHead = m.head() instanceof DenseHead(DenseProjection _);
        return new ModelShapes(cfg.generation(), cfg.embd(), m.head().vocab(), List.copyOf(blocks), denseHead,
                cfg.hasHeadBias(), SizeReport.of(m, 0));
    }

    /** The dense report's part of this name. */
    SizeReport.Part densePart(String component) {
        return dense.parts().stream().filter(p -> p.component().equals(component)).findFirst().orElseThrow();
    }
}
