package dev.rwkvedge.runtime;

import java.util.Map;

/** What every time mix shares: its named, substitutable projections, observed on the way in. */
abstract class ProjectingTimeMix implements TimeMix {
    final ProjectionSet p = new ProjectionSet();

    ProjectingTimeMix(Map<String, Projection> projections) {
        projections.forEach(p::put);
    }

    /** Runs one projection over the T rows of {@code in}, letting the observer see its input. */
    float[] apply(String name, int layer, float[] in, ForwardContext ctx) {
        Projection pr = p.get(name);
        ctx.observeInput(layer, name, in, pr.inDim());
        float[] y = new float[ctx.T * pr.outDim()];
        pr.applyBatch(in, y, ctx.T, ctx.par);
        return y;
    }

    /** The output projection, writing straight into the block's buffer. */
    void output(int layer, float[] y, ForwardContext ctx, float[] out) {
        ctx.observeInput(layer, "att.output", y, y.length / ctx.T);
        p.get("att.output").applyBatch(y, out, ctx.T, ctx.par);
    }

    @Override
    public Map<String, Projection> projections() {
        return p.view();
    }

    @Override
    public void replace(String name, Projection pr) {
        p.replace(name, pr);
    }
}
