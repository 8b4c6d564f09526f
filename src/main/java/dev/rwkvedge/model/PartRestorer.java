package dev.rwkvedge.model;

import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.io.ModelFormatException;
import dev.rwkvedge.runtime.RwkvModel;

/**
 * Re-installs compressed parts (a clustered head, sparse channel mixes, an embedding cache) that a file describes,
 * after the model's dense parts are built. Implementations are found with {@link java.util.ServiceLoader}, so the
 * model package needs to know nothing about compression.
 */
public interface PartRestorer {
    void restore(Checkpoint checkpoint, RwkvModel model) throws ModelFormatException;
}
