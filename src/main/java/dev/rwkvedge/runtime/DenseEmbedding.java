package dev.rwkvedge.runtime;

import dev.rwkvedge.tensor.Dequant;
import dev.rwkvedge.tensor.Tensor;

/** Rows read straight from the (mapped) tensor in its own storage type. */
public final class DenseEmbedding implements Embedding {
    private final Tensor table;
    private final int vocab, dim;

    public DenseEmbedding(Tensor table) {
        if (table.rank() != 2) throw new IllegalArgumentException(table.name() + ": expected (vocab, dim), got "
                + table.shapeString());
        this.table = table;
        this.vocab = Math.toIntExact(table.shape()[0]);
        this.dim = Math.toIntExact(table.shape()[1]);
    }

    public Tensor table() {
        return table;
    }

    @Override
    public int vocab() {
        return vocab;
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public void row(int token, float[] out, int off) {
        if (token < 0 || token >= vocab) {
            throw new IllegalArgumentException("token " + token + " is outside the vocabulary 0.." + (vocab - 1));
        }
        Dequant.toFloats(table.dtype(), table.data(), (long) token * dim, out, off, dim);
    }

    @Override
    public long residentBytes() {
        return table.data().byteSize();
    }

    @Override
    public long parameters() {
        return (long) vocab * dim;
    }
}
