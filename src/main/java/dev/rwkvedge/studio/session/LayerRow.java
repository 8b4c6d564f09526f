package dev.rwkvedge.studio.session;

/** Parameters and stored bytes of one block, split the way {@link dev.rwkvedge.model.ModelSummary} splits a model. */
public record LayerRow(int layer, long timeMix, long channelMix, long norms, long parameters, long bytes) {}
