package dev.rwkvedge.analysis;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Statistics of a model's activations over calibration text.
 *
 * @param tokens     calibration tokens fed
 * @param channelMix per layer, the channel-mix activity (sparsity, per-neuron firing)
 * @param grams      per selected projection, the Gram matrix sum x x^T of its inputs over all tokens
 */
public record ActivationStats(long tokens, List<LayerActivity> channelMix, Map<ProjectionKey, GramMatrix> grams) {

    public ActivationStats {
        channelMix = List.copyOf(channelMix);
        grams = Collections.unmodifiableMap(new TreeMap<>(grams));
    }

    public GramMatrix gram(int layer, String projection) {
        return grams.get(new ProjectionKey(layer, projection));
    }

    public long gramBytes() {
        return grams.values().stream().mapToLong(GramMatrix::bytes).sum();
    }
}
