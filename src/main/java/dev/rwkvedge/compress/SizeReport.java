package dev.rwkvedge.compress;

import dev.rwkvedge.runtime.Block;
import dev.rwkvedge.runtime.Projection;
import dev.rwkvedge.runtime.RwkvModel;
import java.util.ArrayList;
import java.util.List;

/**
 * What a model keeps resident while generating, per component, against the paper's baseline (the uncompressed
 * model in fp16) and fp32.
 *
 * @param denseParameters parameters of the uncompressed model
 */
public record SizeReport(List<Part> parts, long denseParameters) {

    /** @param residentBytes bytes held in memory per generated token's needs (mapped-and-untouched data excluded) */
    public record Part(String component, long parameters, long residentBytes) {}

    public long residentBytes() {
        return parts.stream().mapToLong(Part::residentBytes).sum();
    }

    public long parameters() {
        return parts.stream().mapToLong(Part::parameters).sum();
    }

    public long baselineFp16Bytes() {
        return 2 * denseParameters;
    }

    public long baselineFp32Bytes() {
        return 4 * denseParameters;
    }

    /** How many times smaller than the dense model in fp16 (the paper's ratio). */
    public double ratioVsFp16() {
        return (double) baselineFp16Bytes() / residentBytes();
    }

    public double ratioVsFp32() {
        return (double) baselineFp32Bytes() / residentBytes();
    }

    public static SizeReport of(RwkvModel model, long denseParameters) {
        var cfg = model.config();
        int C = cfg.embd();
        List<Part> parts = new ArrayList<>();
        parts.add(new Part("embedding", model.embedding().parameters(), model.embedding().residentBytes()));
        long tmP = 0, tmB = 0, cmP = 0, cmB = 0;
        for (Block b : model.blocks()) {
            for (Projection p : b.timeMix().projections().values()) {
                tmP += p.parameters();
                tmB += p.residentBytes();
            }
            tmP += b.timeMix().vectorParameters();
            tmB += 4 * b.timeMix().vectorParameters();
            cmP += b.channelMix().parameters();
            cmB += b.channelMix().residentBytes();
        }
        parts.add(new Part("time-mix", tmP, tmB));
        parts.add(new Part("channel-mix", cmP, cmB));
        long norms = 4L * C * cfg.layers() + 2L * C + (cfg.hasLn0() ? 2L * C : 0);
        parts.add(new Part("norms", norms, 4 * norms));
        parts.add(new Part("head", model.head().parameters(), model.head().residentBytes()));
        return new SizeReport(parts, denseParameters);
    }
}
