package dev.rwkvedge.runtime;

import java.util.Map;

/** What every time mix shares: its named, substitutable projections, observed on the way in. */
abstract class ProjectingTimeMix implements TimeMix {
    final ProjectionSet p = new ProjectionSet();
    private final ProjectionSet.Slot output;

    ProjectingTimeMix(Map<String, Projection> projections) {
        projections.forEach(p::put);
        output = p.slot("att.output");
    }

    /** Runs one projection over the T rows of {@code in} into a scratch array, letting the observer see its input. */
    float[] apply(ProjectionSet.Slot slot, int layer, float[] in, ForwardContext ctx) {
        Projection pr = slot.get();
        ctx.observeInput(layer, slot.name(), in, pr.inDim());
        float[] y = ctx.buffer(ctx.T * pr.outDim());
        pr.applyBatch(in, y, ctx.T, ctx.par);
        return y;
    }

    /** The output projection, writing straight into the block's buffer. */
    void output(int layer, float[] y, ForwardContext ctx, float[] out) {
        ctx.observeInput(layer, "att.output", y, y.length / ctx.T);
        output.get().applyBatch(y, out, ctx.T, ctx.par);
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
