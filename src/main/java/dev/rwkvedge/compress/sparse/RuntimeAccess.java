package dev.rwkvedge.compress.sparse;

import dev.rwkvedge.runtime.DenseChannelMix;
import dev.rwkvedge.runtime.RwkvState;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The two runtime internals a channel mix outside {@code dev.rwkvedge.runtime} needs and the runtime does not yet
 * publish: the per-layer token-shift state ({@code RwkvState.ffnShift}) and the dense mix's token-mixing vectors.
 * Keeping the shift in {@link RwkvState} (rather than in the channel mix) is what keeps {@code copy()}, forks in the
 * generator and the rwkv.cpp state layout right. This is the only class that reaches in; once the runtime exposes
 * {@code RwkvState.ffnShift(layer)} and {@code DenseChannelMix} accessors for its mixes, only this class changes.
 * It works because the project runs on the class path (one unnamed module, open to itself).
 */
final class RuntimeAccess {
    private static final VarHandle FFN_SHIFT, MIX_K, MIX_R, LERP_FROM_PREV;

    static {
        try {
            var state = MethodHandles.privateLookupIn(RwkvState.class, MethodHandles.lookup());
            FFN_SHIFT = state.findVarHandle(RwkvState.class, "ffnShift", float[][].class);
            var dense = MethodHandles.privateLookupIn(DenseChannelMix.class, MethodHandles.lookup());
            MIX_K = dense.findVarHandle(DenseChannelMix.class, "mixK", float[].class);
            MIX_R = dense.findVarHandle(DenseChannelMix.class, "mixR", float[].class);
            LERP_FROM_PREV = dense.findVarHandle(DenseChannelMix.class, "lerpFromPrev", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private RuntimeAccess() {}

    /** The previous token's ln2 output of {@code layer}: read and updated in place by the channel mix. */
    static float[] ffnShift(RwkvState state, int layer) {
        return ((float[][]) FFN_SHIFT.get(state))[layer];
    }

    static TokenShift tokenShift(DenseChannelMix dense) {
        return new TokenShift((float[]) MIX_K.get(dense), (float[]) MIX_R.get(dense),
                (boolean) LERP_FROM_PREV.get(dense));
    }
}
