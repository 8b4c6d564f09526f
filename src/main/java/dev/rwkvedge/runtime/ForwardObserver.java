package dev.rwkvedge.runtime;

/**
 * The one hook through which analysis and calibration see inside the forward pass, so that no one copies the
 * forward code. Arrays are T rows of the given width and are only valid during the call.
 */
public interface ForwardObserver {
    /** The input of the projection {@code name} (BlinkDL name without "blocks.N." and ".weight", e.g. "att.key"). */
    default void projectionInput(int layer, String name, float[] x, int T, int width) {}

    /** The channel-mix activations relu(K x)^2 (T x F), before the value projection. */
    default void channelMixActivation(int layer, float[] h, int T, int width) {}
}
