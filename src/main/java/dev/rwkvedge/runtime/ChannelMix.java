package dev.rwkvedge.runtime;

/** The feed-forward half of a block: x (T x C, the ln2 outputs) to out (T x C). */
public interface ChannelMix {
    void forward(int layer, float[] x, RwkvState state, ForwardContext ctx, float[] out);

    long residentBytes();

    long parameters();
}
