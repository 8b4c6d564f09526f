package dev.rwkvedge.runtime;

/** Token id to embedding row. Compression substitutes an on-demand table with a small row cache. */
public interface Embedding {
    int vocab();

    int dim();

    void row(int token, float[] out, int off);

    long residentBytes();

    long parameters();
}
