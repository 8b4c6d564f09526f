package dev.rwkvedge.runtime;

import java.util.Map;

/** The feed-forward half of a block: x (T x C, the ln2 outputs) to out (T x C). */
public interface ChannelMix {
    void forward(int layer, float[] x, RwkvState state, ForwardContext ctx, float[] out);

    long residentBytes();

    long parameters();

    /** Parameters outside the projections (the token-shift mixes), as {@link TimeMix#vectorParameters()}. */
    long vectorParameters();

    /** Its substitutable projections by BlinkDL short name ("ffn.key", ...); none for a mix that holds its own form. */
    default Map<String, Projection> projections() {
        return Map.of();
    }

    /** Replaces one projection (compression is substitution). */
    default void replace(String name, Projection p) {
        throw new IllegalArgumentException(getClass().getSimpleName() + " has no substitutable projection " + name);
    }
}
