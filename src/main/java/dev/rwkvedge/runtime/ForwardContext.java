package dev.rwkvedge.runtime;

/** What a block needs besides its weights and state for one call: threads, the observer, v7's value residual. */
public final class ForwardContext {
    public final Parallel par;
    public final ForwardObserver observer;
    public final int T;
    /** v7: layer 0's values (T x C), mixed into later layers. */
    float[] vFirst;

    ForwardContext(Parallel par, ForwardObserver observer, int T) {
        this.par = par;
        this.observer = observer;
        this.T = T;
    }

    void observeInput(int layer, String name, float[] x, int width) {
        if (observer != null) observer.projectionInput(layer, name, x, T, width);
    }

    /** Rows [prev, x_0 .. x_{T-2}] and prev := x_{T-1}: the token shift over a whole sequence. */
    static float[] shift(float[] x, int T, int C, float[] prev) {
        float[] s = new float[T * C];
        System.arraycopy(prev, 0, s, 0, C);
        System.arraycopy(x, 0, s, C, (T - 1) * C);
        System.arraycopy(x, (T - 1) * C, prev, 0, C);
        return s;
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }
}
