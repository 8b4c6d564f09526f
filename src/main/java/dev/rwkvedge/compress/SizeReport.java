package dev.rwkvedge.compress;

import dev.rwkvedge.compress.embedding.CachedEmbedding;
import dev.rwkvedge.compress.head.ClusteredHead;
import dev.rwkvedge.compress.resident.CacheStats;
import dev.rwkvedge.compress.sparse.SparseChannelMix;
import dev.rwkvedge.model.ModelSummary;
import dev.rwkvedge.runtime.Block;
import dev.rwkvedge.runtime.Projection;
import dev.rwkvedge.runtime.RwkvModel;
import java.util.ArrayList;
import java.util.List;

/**
 * What a model keeps resident while generating, per component, against the paper's baseline (the uncompressed
 * model in fp16) and fp32; once written, also what its file stores per component.
 *
 * @param denseParameters parameters of the uncompressed model
 * @param fileBytes       size of the written file (tensors, header and metadata), or -1 before it is written
 */
public record SizeReport(List<Part> parts, long denseParameters, long fileBytes) {

    public SizeReport(List<Part> parts, long denseParameters) {
        this(parts, denseParameters, -1);
    }

    /**
     * @param residentBytes     bytes the part holds in memory (mapped-and-untouched data excluded; for a part read on
     *                          demand, its bounded cache and what it needs to find rows in storage)
     * @param fileBytes         bytes of this component's tensors in the written file, or -1 before it is written
     * @param cacheHitRate      share of on-demand reads its cache answered since its counters were reset (NaN: none)
     * @param readBytesPerToken bytes read from storage per token by its cache (the paper's flash reads; NaN: none)
     */
    public record Part(String component, long parameters, long residentBytes, long fileBytes, double cacheHitRate,
                       double readBytesPerToken) {
        public Part(String component, long parameters, long residentBytes) {
            this(component, parameters, residentBytes, -1, Double.NaN, Double.NaN);
        }

        public Part(String component, long parameters, long residentBytes, long fileBytes) {
            this(component, parameters, residentBytes, fileBytes, Double.NaN, Double.NaN);
        }

        public Part(String component, long parameters, long residentBytes, double cacheHitRate,
                    double readBytesPerToken) {
            this(component, parameters, residentBytes, -1, cacheHitRate, readBytesPerToken);
        }
    }

    /** This report with the stored bytes per component of the file written from the model. */
    public SizeReport withFile(ModelSummary file) {
        List<Part> out = new ArrayList<>();
        for (Part p : parts) {
            long bytes = file.components().stream().filter(c -> c.name().equals(p.component()))
                    .mapToLong(ModelSummary.Component::bytes).sum();
            out.add(new Part(p.component(), p.parameters(), p.residentBytes(), bytes, p.cacheHitRate(),
                    p.readBytesPerToken()));
        }
        return new SizeReport(out, denseParameters, file.fileBytes());
    }

    /** How many times smaller the file is than the dense model in fp16; NaN before it is written. */
    public double fileRatioVsFp16() {
        return fileBytes > 0 ? (double) baselineFp16Bytes() / fileBytes : Double.NaN;
    }

    /** Bytes read from storage per token over all parts read on demand. */
    public double readBytesPerToken() {
        return parts.stream().mapToDouble(Part::readBytesPerToken).filter(d -> !Double.isNaN(d)).sum();
    }

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
        if (model.embedding() instanceof CachedEmbedding e) {
            CacheStats st = e.stats();
            parts.add(new Part("embedding", e.parameters(), e.residentBytes(), st.hitRate(),
                    perToken(st, st.hits() + st.misses())));
        } else {
            parts.add(new Part("embedding", model.embedding().parameters(), model.embedding().residentBytes()));
        }
        long tmP = 0, tmB = 0, cmP = 0, cmB = 0, cmTokens = 0;
        CacheStats neurons = null;
        for (Block b : model.blocks()) {
            for (Projection p : b.timeMix().projections().values()) {
                tmP += p.parameters();
                tmB += p.residentBytes();
            }
            tmP += b.timeMix().vectorParameters();
            tmB += 4 * b.timeMix().vectorParameters();
            cmP += b.channelMix().parameters();
            cmB += b.channelMix().residentBytes();
            if (b.channelMix() instanceof SparseChannelMix s) {
                neurons = neurons == null ? s.cacheStats() : neurons.plus(s.cacheStats());
                cmTokens = Math.max(cmTokens, s.tokens());
            }
        }
        parts.add(new Part("time-mix", tmP, tmB));
        parts.add(neurons == null ? new Part("channel-mix", cmP, cmB)
                : new Part("channel-mix", cmP, cmB, neurons.hitRate(), perToken(neurons, cmTokens)));
        long norms = 4L * C * cfg.layers() + 2L * C + (cfg.hasLn0() ? 2L * C : 0);
        parts.add(new Part("norms", norms, 4 * norms));
        if (model.head() instanceof ClusteredHead h) {
            CacheStats st = h.cacheStats();
            parts.add(new Part("head", h.parameters(), h.residentBytes(), st.hitRate(), perToken(st, h.tokens())));
        } else {
            parts.add(new Part("head", model.head().parameters(), model.head().residentBytes()));
        }
        return new SizeReport(parts, denseParameters);
    }

    private static double perToken(CacheStats s, long tokens) {
        return tokens == 0 ? Double.NaN : (double) s.bytesRead() / tokens;
    }
}
