package dev.rwkvedge.runtime;

/** The output layer: T rows of ln_out(x) to T rows of logits. Compression substitutes a clustered head. */
public interface Head {
    int vocab();

    void logits(float[] x, int T, float[] out, Parallel par);

    long residentBytes();

    long parameters();
}
