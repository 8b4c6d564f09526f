package dev.rwkvedge.runtime;

import dev.rwkvedge.tensor.Wkv;
import java.util.Map;

/** RWKV-4 time mix: the numerically stabilised (aa, bb, pp) WKV recurrence. */
public final class TimeMixV4 extends ProjectingTimeMix {
    private final int C;
    private final float[] first, decay;
    /** k, v, r */
    private final float[][] mixes;
    private final ProjectionSet.Slot key = p.slot("att.key"), value = p.slot("att.value"),
            receptance = p.slot("att.receptance");

    /** {@code decay} is -exp(w) (what the recurrence adds), {@code first} is the raw bonus u. */
    public TimeMixV4(int C, float[] mixK, float[] mixV, float[] mixR, float[] first, float[] decay,
                     Map<String, Projection> projections) {
        super(projections);
        this.C = C;
        this.mixes = new float[][] {mixK, mixV, mixR};
        this.first = first;
        this.decay = decay;
    }

    @Override
    public void forward(int layer, float[] x, RwkvState st, ForwardContext ctx, float[] out) {
        final int T = ctx.T;
        float[] mk = ctx.buffer(T * C), mv = ctx.buffer(T * C), mr = ctx.buffer(T * C);
        float[][] outs = ctx.group(3);
        outs[0] = mk;
        outs[1] = mv;
        outs[2] = mr;
        VectorKernels.scaleShift(x, st.attShift[layer], T, C, mixes, outs, 3);
        VectorKernels.endShift(x, T, C, st.attShift[layer]);
        float[] k = apply(key, layer, mk, ctx);
        float[] v = apply(value, layer, mv, ctx);
        float[] r = apply(receptance, layer, mr, ctx);
        float[] aa = st.aa[layer], bb = st.bb[layer], pp = st.pp[layer];
        float[] y = ctx.buffer(T * C), e = ctx.buffer(5 * C);
        for (int t = 0; t < T; t++) Wkv.v4(k, v, r, t * C, first, decay, aa, bb, pp, y, C, e);
        output(layer, y, ctx, out);
    }

    @Override
    public long vectorParameters() {
        return 5L * C;
    }
}
