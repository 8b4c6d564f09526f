package dev.rwkvedge.compress.sparse;

import dev.rwkvedge.compress.resident.CacheStats;
import dev.rwkvedge.compress.resident.Int8Kernels;
import dev.rwkvedge.compress.resident.RecordCache;
import dev.rwkvedge.compress.resident.RecordSource;
import dev.rwkvedge.compress.resident.RowPrecision;
import dev.rwkvedge.runtime.Block;
import dev.rwkvedge.runtime.ChannelMix;
import dev.rwkvedge.runtime.ForwardContext;
import dev.rwkvedge.runtime.ForwardObserver;
import dev.rwkvedge.runtime.Parallel;
import dev.rwkvedge.runtime.Projection;
import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.runtime.RwkvState;
import dev.rwkvedge.tensor.Activations;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The channel mix that computes only the neurons its predictor calls active: out = [sigmoid(R x_r) *]
 * sum over predicted j of relu(k_j . x_k)^2 v_j, with K and V read neuron by neuron from a {@link NeuronBundle}.
 * Token shift, mixing and the receptance gate are the dense mix's, so with every neuron predicted it computes the
 * dense result bit for bit (see {@link #token}). Observers see x_k and the activations (zero for skipped neurons),
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
    /**
     * Unwanted bytes a window may span between two wanted neurons: about what one more positional read costs in
     * copying on the benchmark machine (1.5 us a read, copies at about 20 GB/s from the page cache). edge.json then
     * reads its 768 neurons of 388 B in about 12 windows per layer instead of 70 reads, at about 3x the bytes.
     */
    static final int WINDOW_GAP_BYTES = 32 * 1024;

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
        float[] prev = shift.previous(x, T, st.ffnShift(layer), ctx.buffer(T * C));
        float[] xk = shift.key(x, prev, T, ctx.buffer(T * C));
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
        float[] xr = shift.receptance(x, prev, T, ctx.buffer(T * C));
        if (obs != null) obs.projectionInput(layer, "ffn.receptance", xr, T, C);
        float[] r = ctx.buffer(T * C);
        receptance.applyBatch(xr, r, T, ctx.par);
        Activations.timesSigmoid(out, 0, r, 0, T * C); // the dense mix's gate, bit for bit
    }

    /**
     * One token: predict, then for each predicted neuron its K dot and, if it fired, its V column, reading the
     * neuron's bundle once (through the cache in runs, or in windows past a cache too small for the token). The V
     * sum keeps the dense V dot's exact order: neuron j goes to accumulator lane j mod L with a fused multiply-add,
     * the lanes are summed pairwise as the kernel's lane sum does, and the neurons past the last whole vector are
     * added after it, unfused; a skipped neuron adds exactly zero in the dense dot too. So with every neuron
     * predicted this equals the dense mix bit for bit, whatever the cache size and thread count. With threads to
     * spare and every neuron cached, the K dots are split over neurons and the V sum over output channels.
     */
    private void token(float[] xk, int t, float[] out, float[] h, Parallel par) {
        TokenArrays arrays = TokenArrays.get();
        int[] active = arrays.active(F);
        int n = predictor.predict(xk, t * C, active);
        computed.add(n);
        float[] hv = arrays.activations(n);
        long[] offs = arrays.offsets(n);
        float[] acc = arrays.sums(Int8Kernels.LANES * C);
        RecordCache cache = bundle.cache();
        synchronized (cache.lock()) {
            if (par.threads() > 1 && cache.holdsAll()) {
                cache.load(active, 0, n);
                for (int i = 0; i < n; i++) offs[i] = cache.peek(active[i]);
                MemorySegment slots = cache.slots();
                par.forRange(n, 2L * C, (from, to) -> {
                    for (int i = from; i < to; i++) hv[i] = bundle.activation(slots, offs[i], xk, t * C);
                });
                int blocks = (C + CHANNEL_BLOCK - 1) / CHANNEL_BLOCK;
                par.forRange(blocks, 2L * n * CHANNEL_BLOCK, (from, to) -> {
                    int c0 = from * CHANNEL_BLOCK, len = Math.min(C, to * CHANNEL_BLOCK) - c0;
                    boolean folded = addValues(slots, active, offs, hv, 0, n, c0, len, acc, false);
                    finish(acc, c0, len, folded, out, t * C);
                });
            } else if (n > cache.capacity() && cache.windowRecords() > 1) {
                // the cache cannot hold one token's neurons, so least-recently-used eviction drops each before its
                // next use: read windows of neighbouring neurons into its memory instead, one read per window
                int rb = cache.recordBytes(), gap = Math.max(0, WINDOW_GAP_BYTES / rb);
                boolean folded = false;
                for (int i0 = 0; i0 < n; ) {
                    int i1 = cache.windowEnd(active, i0, n, gap), first = active[i0];
                    MemorySegment block = cache.readWindow(first, active[i1 - 1] - first + 1);
                    for (int i = i0; i < i1; i++) {
                        offs[i] = (long) (active[i] - first) * rb;
                        hv[i] = bundle.activation(block, offs[i], xk, t * C);
                    }
                    folded = addValues(block, active, offs, hv, i0, i1, 0, C, acc, folded);
                    i0 = i1;
                }
                finish(acc, 0, C, folded, out, t * C);
            } else {
                // at most a cache's worth at a time, so nothing loaded is evicted before it is used
                int chunk = Math.max(1, Math.min(n, cache.capacity()));
                boolean folded = false;
                for (int i0 = 0; i0 < n; i0 += chunk) {
                    int i1 = Math.min(n, i0 + chunk);
                    cache.load(active, i0, i1);
                    for (int i = i0; i < i1; i++) {
                        offs[i] = cache.peek(active[i]);
                        hv[i] = bundle.activation(cache.slots(), offs[i], xk, t * C);
                    }
                    folded = addValues(cache.slots(), active, offs, hv, i0, i1, 0, C, acc, folded);
                }
                finish(acc, 0, C, folded, out, t * C);
            }
        }
        if (h != null) for (int i = 0; i < n; i++) h[t * F + active[i]] = hv[i];
    }

    /**
     * Adds neurons i0..i1 (ascending), whose records start at offs[i] in {@code s}, to channels c0..c0+len; returns
     * whether the lanes have been summed.
     */
    private boolean addValues(MemorySegment s, int[] active, long[] offs, float[] hv, int i0, int i1, int c0, int len,
                              float[] acc, boolean folded) {
        int upper = F - F % Int8Kernels.LANES;
        if (Int8Kernels.LANES == 1) upper = 0;
        for (int i = i0; i < i1; i++) {
            if (hv[i] == 0f) continue;
            int j = active[i];
            if (j < upper) {
                bundle.addValueFused(s, offs[i], hv[i], acc, (j % Int8Kernels.LANES) * C + c0, c0, len);
            } else {
                if (!folded) {
                    foldLanes(acc, c0, len);
                    folded = true;
                }
                bundle.addValuePlain(s, offs[i], hv[i], acc, c0, c0, len);
            }
        }
        return folded;
    }

    /** The kernel's pairwise lane sum (halves, quarters, ...), on channels c0..c0+len of every lane row. */
    private void foldLanes(float[] acc, int c0, int len) {
        for (int half = Int8Kernels.LANES / 2; half >= 1; half /= 2) {
            for (int lane = 0; lane < half; lane++) {
                int a = lane * C + c0, b = (lane + half) * C + c0;
                for (int c = 0; c < len; c++) acc[a + c] = acc[a + c] + acc[b + c];
            }
        }
    }

    private void finish(float[] acc, int c0, int len, boolean folded, float[] out, int outOff) {
        if (!folded) foldLanes(acc, c0, len);
        boolean int8 = bundle.precision() == RowPrecision.INT8;
        for (int c = c0; c < c0 + len; c++) out[outOff + c] = int8 ? acc[c] * bundle.valueScale(c) : acc[c];
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
        bundle.cache().resetCounters();
    }

    /**
     * Everything this mix holds: its neuron cache (bounded, whatever the text), V's int8 scales, receptance, mixing
     * vectors and the predictor. Neurons outside the cache stay in storage.
     */
    @Override
    public long residentBytes() {
        return bundle.residentBytes() + fixedBytes();
    }

    /** Hits, misses and bytes read of the neuron cache since the counters were reset. */
    public CacheStats cacheStats() {
        return bundle.cache().stats();
    }

    /** The same mix with a neuron cache of another size. */
    public SparseChannelMix withCacheNeurons(int cacheNeurons) {
        return new SparseChannelMix(shift, bundle.withCache(cacheNeurons), receptance, predictor);
    }

    /**
     * Gives the model's sparse mixes whose caches cannot hold a token's neurons one block for all their caches (the
     * same bytes, see {@link RecordCache#sharing}): the layers run one after another, so each token's windows may
     * span every layer's cache memory, a quarter of the reads for four layers. Mixes whose caches hold every
     * neuron, or whose bundles differ in size, are left as they are; counters start at zero.
     */
    public static void shareWindows(RwkvModel model) {
        List<Block> blocks = new ArrayList<>();
        for (Block b : model.blocks()) {
            if (b.channelMix() instanceof SparseChannelMix s && !s.bundle.cache().holdsAll()
                    && s.bundle.cache().windowRecords() > 1) {
                blocks.add(b);
            }
        }
        if (blocks.size() < 2) return;
        List<RecordSource> sources = new ArrayList<>();
        int[] capacities = new int[blocks.size()];
        for (int i = 0; i < blocks.size(); i++) {
            RecordCache c = ((SparseChannelMix) blocks.get(i).channelMix()).bundle.cache();
            sources.add(c.source());
            capacities[i] = c.capacity();
            if (c.recordBytes() != sources.getFirst().recordBytes()) return;
        }
        List<RecordCache> shared = RecordCache.sharing(sources, capacities);
        for (int i = 0; i < blocks.size(); i++) {
            SparseChannelMix s = (SparseChannelMix) blocks.get(i).channelMix();
            blocks.get(i).setChannelMix(new SparseChannelMix(s.shift, s.bundle.withCache(shared.get(i)), s.receptance,
                    s.predictor));
        }
    }

    /** The same mix with its bundles in int8 (as int8 dense K and V), same cache size. */
    public SparseChannelMix toInt8() {
        return new SparseChannelMix(shift, bundle.toInt8(), receptance, predictor);
    }

    /** How the bundles are stored. */
    public RowPrecision precision() {
        return bundle.precision();
    }

    public int cacheNeurons() {
        return bundle.cache().capacity();
    }

    /** Every bundle's stored bytes in neuron order, for an exporter. */
    public java.lang.foreign.MemorySegment storedBundles() {
        return bundle.storedBytes();
    }

    /** V's per-channel int8 scales, null for float32 bundles. */
    public float[] valueScales() {
        return bundle.valueScales();
    }

    /** The whole table of bundles in storage (what an export writes), in bytes. */
    public long storedBytes() {
        return bundle.storedByteCount();
    }

    /** The neuron bundle cache (slots, staging block, index) and V's int8 scales: what on-demand reading holds. */
    public long bundleBytes() {
        return bundle.residentBytes();
    }

    private long fixedBytes() {
        return 4 * shift.parameters() + (receptance == null ? 0 : receptance.residentBytes()) + predictor.residentBytes();
    }

    @Override
    public long vectorParameters() {
        return shift.parameters();
    }

    @Override
    public long parameters() {
        return 2L * C * F + shift.parameters() + (receptance == null ? 0 : receptance.parameters())
                + predictor.parameters();
    }
}
