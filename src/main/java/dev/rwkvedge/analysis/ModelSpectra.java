package dev.rwkvedge.analysis;

import java.util.List;
import java.util.Optional;

/**
 * The spectra of a model's matrices in model order (emb first and head last when included, then per layer the
 * projections, LoRA factors and products).
 *
 * @param includesEmbeddings whether emb.weight and head.weight were analysed
 */
public record ModelSpectra(List<AnalyzedMatrix> matrices, boolean includesEmbeddings) {

    public ModelSpectra {
        matrices = List.copyOf(matrices);
    }

    public Optional<AnalyzedMatrix> find(int layer, String name) {
        return matrices.stream().filter(m -> m.spectrum().layer() == layer && m.spectrum().name().equals(name))
                .findFirst();
    }

    public List<AnalyzedMatrix> layer(int layer) {
        return matrices.stream().filter(m -> m.spectrum().layer() == layer).toList();
    }

    /** The same analysis without emb and head (a cached analysis that has them serves a request without). */
    public ModelSpectra withoutEmbeddings() {
        if (!includesEmbeddings) return this;
        return new ModelSpectra(matrices.stream().filter(m -> m.spectrum().layer() >= 0).toList(), false);
    }

    /** Heap bytes of the singular values. */
    public long valueBytes() {
        return matrices.stream().mapToLong(m -> 4L * m.spectrum().size()).sum();
    }
}
