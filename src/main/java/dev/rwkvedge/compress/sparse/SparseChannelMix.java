package dev.rwkvedge.compress.sparse;

import dev.rwkvedge.runtime.ChannelMix;
import dev.rwkvedge.runtime.ForwardContext;
import dev.rwkvedge.runtime.ForwardObserver;
import dev.rwkvedge.runtime.Parallel;
import dev.rwkvedge.runtime.Projection;
import dev.rwkvedge.runtime.RwkvState;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * The channel mix that computes only the neurons its predictor calls active: out = [sigmoid(R x_r) *]
 * sum over predicted j of relu(k_j . x_k)^2 v_j, with K and V read neuron by neuron from a {@link NeuronBundle}.
 * Token shift, mixing and the receptance gate are the dense mix's, so with every neuron predicted it computes the
 * dense result (up to the order of the V sum). Observers see x_k and the activations (zero for skipped neurons),
 * so calibration and analysis also work on a sparse model.
 */
public final class SparseChannelMix implements ChannelMix {
    private final TokenShift shift;
    private final NeuronBundle bundle;
    private final Projection receptance;
    private final SparsityPredictor predictor;
    private final int C, F;
    /** Output channels per task when one token's V sum is split over threads. */
    private static final int CHANNEL_BLOCK = 64;
    private static final Parallel SERIAL = Parallel.serial();

    private final LongAdder tokens = new LongAdder(), computed = new LongAdder();

    SparseChannelMix(TokenShift shift, NeuronBundle bundle, Projection receptance, SparsityPredictor predictor) {
        if (predictor.inputs() != bundle.width() || predictor.neurons() != bundle.neurons()) {
            throw new IllegalArgumentException("predictor " + predictor + " does not fit " + bundle.neurons()
                    + " neurons of width " + bundle.width());
        }
        if ((receptance == null) != (shift.mixR() == null)) {
            throw new IllegalArgumentException("receptance weights and receptance mix must come together");
        }
        this.shift = shift;
        this.bundle = bundle;
        this.receptance = receptance;
        this.predictor = predictor;
        this.C = bundle.width();
        this.F = bundle.neurons();
    }

    public SparsityPredictor predictor() {
        return predictor;
    }

    /** The same weights (shared, not copied) behind another predictor, e.g. one at another threshold. */
    public SparseChannelMix withPredictor(SparsityPredictor p) {
        return new SparseChannelMix(shift, bundle, receptance, p);
    }

    @Override
    public void forward(int layer, float[] x, RwkvState st, ForwardContext ctx, float[] out) {
        final int T = ctx.T;
        float[] prev = shift.previous(x, T, st.ffnShift(layer));
        float[] xk = shift.key(x, prev, T);
        ForwardObserver obs = ctx.observer;
        if (obs != null) obs.projectionInput(layer, "ffn.key", xk, T, C);
        float[] h = obs != null ? new float[T * F] : null;
        Arrays.fill(out, 0, T * C, 0f);
        if (T == 1) token(xk, 0, out, h, ctx.par);
        else ctx.par.forRange(T, 8L * F * C, (from, to) -> {
            for (int t = from; t < to; t++) token(xk, t, out, h, SERIAL);
        });
        tokens.add(T);
        if (obs != null) {
            obs.channelMixActivation(layer, h, T, F);
            obs.projectionInput(layer, "ffn.value", h, T, F);
        }
        if (receptance == null) return;
        float[] xr = shift.receptance(x, prev, T);
        if (obs != null) obs.projectionInput(layer, "ffn.receptance", xr, T, C);
        float[] r = new float[T * C];
        receptance.applyBatch(xr, r, T, ctx.par);
        for (int i = 0; i < T * C; i++) out[i] *= TokenShift.sigmoid(r[i]);
    }

    /**
     * One token: predict, then for each predicted neuron its K dot and, if it fired, its V column, reading the
     * neuron's bundle once. With threads to spare it splits the K dots over neurons and the V sum over output
     * channels instead; each channel still sums neurons in ascending order with fused multiply-adds, so the floats
     * are the same whatever the thread count, as in the dense mix.
     */
    private void token(float[] xk, int t, float[] out, float[] h, Parallel par) {
        int[] active = new int[F];
        int n = predictor.predict(xk, t * C, active);
        computed.add(n);
        float[] hv = new float[n];
        if (par.threads() == 1) {
            for (int i = 0; i < n; i++) {
                hv[i] = bundle.activation(active[i], xk, t * C);
                // An inactive neuron adds exactly zero in the dense mix too; skipping its V read changes nothing.
                if (hv[i] != 0f) bundle.addValue(active[i], hv[i], 0, out, t * C, C);
            }
        } else {
            par.forRange(n, 2L * C, (from, to) -> {
                for (int i = from; i < to; i++) hv[i] = bundle.activation(active[i], xk, t * C);
            });
            int blocks = (C + CHANNEL_BLOCK - 1) / CHANNEL_BLOCK;
            par.forRange(blocks, 2L * n * CHANNEL_BLOCK, (from, to) -> {
                int c0 = from * CHANNEL_BLOCK, len = Math.min(C, to * CHANNEL_BLOCK) - c0;
                for (int i = 0; i < n; i++) if (hv[i] != 0f) bundle.addValue(active[i], hv[i], c0, out, t * C + c0, len);
            });
        }
        if (h != null) for (int i = 0; i < n; i++) h[t * F + active[i]] = hv[i];
    }

    /** Tokens run through this mix since creation or the last {@link #resetCounters}. */
    public long tokens() {
        return tokens.sum();
    }

    /** Neurons computed per token on average (the predicted active set size). */
    public double meanNeuronsPerToken() {
        long t = tokens.sum();
        return t == 0 ? 0 : (double) computed.sum() / t;
    }

    public double meanActiveFraction() {
        return meanNeuronsPerToken() / F;
    }

    public void resetCounters() {
        tokens.reset();
        computed.reset();
    }

    /** Everything this mix holds: all bundled K/V blocks, receptance, mixing vectors and the predictor. */
    @Override
    public long residentBytes() {
        // like the clustered head: once tokens have run, count the neurons actually read, as an on-demand loader
        // would hold them; before that, the whole bundle
        return tokens() > 0 ? expectedResidentBytes() : allBytes();
    }

    /** Everything held when the whole bundle is loaded. */
    public long allBytes() {
        return bundle.bytes() + fixedBytes();
    }

    /**
     * What an on-demand loader would keep if it read only active neuron blocks: the bundle scaled by the fraction of
     * neurons computed, plus everything that is always needed. With the whole bundle mapped from disk, this is the
     * part of it that the page cache has to hold in steady state.
     */
    public long expectedResidentBytes(double activeFraction) {
        return (long) Math.ceil(bundle.bytes() * Math.clamp(activeFraction, 0, 1)) + fixedBytes();
    }

    /** {@link #expectedResidentBytes(double)} at the measured mean active fraction. */
    public long expectedResidentBytes() {
        return expectedResidentBytes(meanActiveFraction());
    }

    private long fixedBytes() {
        return 4 * shift.parameters() + (receptance == null ? 0 : receptance.residentBytes()) + predictor.residentBytes();
    }

    @Override
    public long parameters() {
        return 2L * C * F + shift.parameters() + (receptance == null ? 0 : receptance.parameters())
                + predictor.parameters();
    }
}
