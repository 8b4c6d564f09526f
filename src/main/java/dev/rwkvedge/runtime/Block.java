package dev.rwkvedge.runtime;

/** One layer: x += TimeMix(ln1 x); x += ChannelMix(ln2 x). */
public final class Block {
    final float[] ln1W, ln1B, ln2W, ln2B;
    TimeMix timeMix;
    ChannelMix channelMix;

    public Block(float[] ln1W, float[] ln1B, float[] ln2W, float[] ln2B, TimeMix timeMix, ChannelMix channelMix) {
        this.ln1W = ln1W;
        this.ln1B = ln1B;
        this.ln2W = ln2W;
        this.ln2B = ln2B;
        this.timeMix = timeMix;
        this.channelMix = channelMix;
    }

    public TimeMix timeMix() {
        return timeMix;
    }

    public ChannelMix channelMix() {
        return channelMix;
    }

    public void setChannelMix(ChannelMix cm) {
        this.channelMix = cm;
    }

    void forward(int layer, float[] x, RwkvState st, ForwardContext ctx, float eps) {
        int T = ctx.T, C = ln1W.length;
        float[] n = ctx.buffer(T * C), d = ctx.buffer(T * C);
        for (int t = 0; t < T; t++) Norms.layerNorm(x, t * C, n, t * C, C, ln1W, ln1B, eps);
        timeMix.forward(layer, n, st, ctx, d);
        VectorKernels.addInPlace(x, d, T * C);
        for (int t = 0; t < T; t++) Norms.layerNorm(x, t * C, n, t * C, C, ln2W, ln2B, eps);
        channelMix.forward(layer, n, st, ctx, d);
        VectorKernels.addInPlace(x, d, T * C);
    }

    /** Bytes of weights a token reads in this block (the projections and the vectors beside them). */
    long bytesPerToken() {
        long n = 4 * (normParameters() + timeMix.vectorParameters()) + channelMix.residentBytes();
        for (Projection p : timeMix.projections().values()) n += p.residentBytes();
        return n;
    }

    long normParameters() {
        return 4L * ln1W.length;
    }
}
