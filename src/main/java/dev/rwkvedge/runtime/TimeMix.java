package dev.rwkvedge.runtime;

import java.util.Map;

/** The attention-like half of a block: x (T x C, the ln1 outputs) to out (T x C). */
public interface TimeMix {
    void forward(int layer, float[] x, RwkvState state, ForwardContext ctx, float[] out);

    /** Its projections by BlinkDL short name ("att.key", ...), for analysis and substitution. */
    Map<String, Projection> projections();

    /** Replaces one projection (compression is substitution). */
    void replace(String name, Projection p);

    /** Parameters outside the projections (mixes, decays, norms). */
    long vectorParameters();
}
