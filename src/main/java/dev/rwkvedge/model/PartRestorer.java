package dev.rwkvedge.model;

import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.io.ModelFormatException;
import dev.rwkvedge.runtime.ChannelMix;
import dev.rwkvedge.runtime.Projection;
import dev.rwkvedge.runtime.RwkvModel;

/**
 * Re-installs compressed parts (a clustered head, sparse channel mixes, an embedding cache) that a file describes,
 * after the model's dense parts are built. Implementations are found with {@link java.util.ServiceLoader}, so the
 * model package needs to know nothing about compression.
 */
public interface PartRestorer {
    /**
     * The checkpoint the model is built from: this one, or one whose tensors the restorer keeps elsewhere (a
     * compressed file's small matrices copied out of the mapping); called before any tensor is read, on the same
     * instance that then restores the parts.
     */
    default Checkpoint beforeLoad(Checkpoint checkpoint) {
        return checkpoint;
    }

    void restore(Checkpoint checkpoint, RwkvModel model) throws ModelFormatException;

    /**
     * A layer's channel mix that the file stores in a form of its own (neuron bundles instead of K and V), built
     * from the token-shift mixes and receptance the loader read; null when the file holds the dense matrices.
     */
    default ChannelMix channelMix(Checkpoint checkpoint, int layer, float[] mixK, float[] mixR, boolean lerpFromPrev,
                                  Projection receptance) throws ModelFormatException {
        return null;
    }
}
