package dev.rwkvedge.compress.head;

import dev.rwkvedge.compress.resident.CacheStats;
import dev.rwkvedge.compress.resident.RowPrecision;
import dev.rwkvedge.compress.resident.RowTable;
import dev.rwkvedge.runtime.Head;
import dev.rwkvedge.runtime.Parallel;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.LongAdder;

/**
 * The hierarchical head: a router picks the likely clusters, only their head rows are read for exact logits, and
 * every token of an unchosen cluster j gets the pseudo-logit m + log(Q p_j / (P n_j)) (m the largest exact logit,
 * Q = sum exp(z - m) over exact logits, P the router mass of the chosen clusters, n_j the cluster size). Under the
 * softmax of the result, cluster j then holds mass p_j / P relative to the exact part: the router's view of the
 * tail, at the exact part's scale, so sampling and perplexity work unchanged. With {@link TailLogits} a token of an
 * unchosen cluster gets its rank-r logit estimate instead: measured on the sample model's calibration tail (64
 * clusters, coverage 0.9, at most 8), mean KL to dense 0.357 with even pseudo-logits, 0.258 with the estimate's
 * softmax sharing the router mass of each cluster, 0.114 with the rank-32 estimate used as the logit itself.
 *
 * <p>The head rows are stored cluster by cluster (float32 or int8, in the order of {@link ClusterIndex#tokens()}) in
 * a {@link RowTable}, so a chosen cluster is one contiguous positional read, and what the head holds is bounded by
 * its row cache whatever the text.
 */
public final class ClusteredHead implements Head {
    /** Floor for a router probability that underflowed, so no pseudo-logit is -infinity. */
    private static final double MIN_PROB = 1e-30;

    private final Router router;
    private final ClusterIndex index;
    private final RowTable rows;
    private final float[] bias;
    private final Selection selection;
    private final TailLogits tail;
    private final double rowsPerToken;
    private final int vocab, dim;
    private final LongAdder tokens = new LongAdder(), clustersRead = new LongAdder(), rowsRead = new LongAdder();
    private final ThreadLocal<Scratch> scratch;

    /**
     * @param rows         the V head rows of width C in cluster order
     * @param bias         the head's output bias by token id, or null
     * @param tail         rank-r logit estimates for the tokens of unchosen clusters, or null for even pseudo-logits
     * @param rowsPerToken expected rows read per token for the memory accounting, NaN if not measured
     */
    public ClusteredHead(Router router, ClusterIndex index, RowTable rows, float[] bias, Selection selection,
                         TailLogits tail, double rowsPerToken) {
        this.vocab = index.vocab();
        this.dim = router.dim();
        if (router.clusters() != index.clusters()) throw new IllegalArgumentException("router and index disagree on K");
        if (rows.rows() != vocab || rows.dim() != dim) throw new IllegalArgumentException("rows are not V x C");
        if (bias != null && bias.length != vocab) throw new IllegalArgumentException("bias is not of length V");
        if (tail != null && (tail.vocab() != vocab || tail.dim() != dim)) throw new IllegalArgumentException("tail is not V x C");
        this.tail = tail;
        this.router = router;
        this.index = index;
        this.rows = rows;
        this.bias = bias;
        this.selection = selection;
        this.rowsPerToken = rowsPerToken;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(index.clusters(), selection, tail));
    }

    /** From head rows in token order (V x C, row-major), kept exactly (float32) with every row cached. */
    public static ClusteredHead of(float[] headRows, float[] bias, Router router, ClusterIndex index,
                                   Selection selection) {
        return of(headRows, bias, router, index, selection, RowPrecision.F32, index.vocab());
    }

    /** From head rows in token order: reordered by cluster, stored in the given precision behind a row cache. */
    public static ClusteredHead of(float[] headRows, float[] bias, Router router, ClusterIndex index,
                                   Selection selection, RowPrecision precision, int cacheRows) {
        int C = router.dim();
        int[] order = index.tokens();
        float[] byCluster = new float[headRows.length];
        for (int r = 0; r < order.length; r++) System.arraycopy(headRows, order[r] * C, byCluster, r * C, C);
        RowTable table = RowTable.of(byCluster, order.length, C, precision, cacheRows);
        return new ClusteredHead(router, index, table, bias, selection, null, Double.NaN);
    }

    /** The same head with its rows in another precision and cache size (read back from its storage). */
    public ClusteredHead withStorage(RowPrecision precision, int cacheRows) {
        if (precision == rows.precision()) {
            return new ClusteredHead(router, index, rows.withCacheRows(cacheRows), bias, selection, tail, rowsPerToken);
        }
        float[] all = new float[vocab * dim];
        RowTable full = rows.withCacheRows(vocab);
        for (int r = 0; r < vocab; r++) full.row(r, all, r * dim);
        RowTable table = RowTable.of(all, vocab, dim, precision, cacheRows);
        return new ClusteredHead(router, index, table, bias, selection, tail, rowsPerToken);
    }

    /** The same router, clusters and rows under another selection rule (a coverage sweep costs no rebuild). */
    public ClusteredHead withSelection(Selection s) {
        return new ClusteredHead(router, index, rows, bias, s, tail, Double.NaN);
    }

    /** The same head with the measured rows per token for its memory accounting. */
    public ClusteredHead withRowsPerToken(double measured) {
        return new ClusteredHead(router, index, rows, bias, selection, tail, measured);
    }

    /** The same head giving unchosen clusters' tokens the given tail estimates (null: even pseudo-logits). */
    public ClusteredHead withTail(TailLogits t) {
        return new ClusteredHead(router, index, rows, bias, selection, t, rowsPerToken);
    }

    public TailLogits tail() {
        return tail;
    }

    /** The rows per token the memory accounting assumes (NaN until measured). */
    public double rowsPerToken() {
        return rowsPerToken;
    }

    public Router router() {
        return router;
    }

    public ClusterIndex index() {
        return index;
    }

    public Selection selection() {
        return selection;
    }

    /** The reordered head rows, for an exporter that writes them to the file the head reads at run time. */
    public RowTable rows() {
        return rows;
    }

    @Override
    public int vocab() {
        return vocab;
    }

    @Override
    public void logits(float[] x, int T, float[] out, Parallel par) {
        if (T == 1) {
            token(x, 0, out, scratch.get(), par);
            return;
        }
        par.forRange(T, (long) vocab * dim / 4, (from, to) -> {
            Scratch s = scratch.get();
            for (int t = from; t < to; t++) token(x, t, out, s, Parallel.serial());
        });
    }

    /**
     * One token's working arrays, kept per thread so a decoded token allocates nothing. The tail estimates go
     * through a short buffer, a run of rows at a time, rather than a vocabulary-sized one (32 KB on the sample
     * model, more than the rest of the head's scratch together).
     */
    private static final class Scratch {
        static final int TAIL_ROWS = 256;
        final float[] p;
        final long[] keys;
        final int[] chosen;
        final boolean[] isChosen;
        final float[] u, zHat;

        Scratch(int K, Selection s, TailLogits tail) {
            u = tail == null ? null : new float[tail.rank()];
            zHat = tail == null ? null : new float[TAIL_ROWS];
            p = new float[K];
            keys = new long[K];
            chosen = new int[Math.min(K, s.maxClusters())];
            isChosen = new boolean[K];
        }
    }

    private void token(float[] x, int t, float[] out, Scratch s, Parallel par) {
        int K = index.clusters();
        int xOff = t * dim, yOff = t * vocab;
        router.probabilities(x, xOff, s.p, 0);
        int n = selection.choose(s.p, 0, K, s.keys, s.chosen);
        long exactRows = 0;
        for (int i = 0; i < n; i++) exactRows += index.size(s.chosen[i]);
        synchronized (rows.cache().lock()) {
            if (rows.cache().holdsAll()) {
                for (int i = 0; i < n; i++) rows.load(index.start(s.chosen[i]), index.end(s.chosen[i]));
                par.forRange(n, exactRows * dim / n, (from, to) -> {
                    for (int i = from; i < to; i++) exact(s.chosen[i], x, xOff, out, yOff);
                });
            } else if (exactRows > rows.cache().capacity() && rows.streamRows() > 0) {
                // more rows than the cache holds: least recently used would evict each before its next use, so the
                // rows are read in windows of slots and staging block together, and used where they were read
                int step = rows.streamRows(), bytes = rows.cache().recordBytes();
                int[] order = index.tokens();
                for (int i = 0; i < n; i++) {
                    int j = s.chosen[i];
                    for (int a = index.start(j); a < index.end(j); a += step) {
                        int b = Math.min(index.end(j), a + step);
                        MemorySegment block = rows.readWindow(a, b - a);
                        for (int r = a; r < b; r++) {
                            int tok = order[r];
                            float z = rows.dot(block, (long) (r - a) * bytes, r, x, xOff);
                            out[yOff + tok] = bias == null ? z : z + bias[tok];
                        }
                    }
                }
            } else {
                // a partial cache may evict while it loads: at most a cache's worth of a cluster at a time, loaded
                // then used (a whole cluster larger than the cache would evict its first rows, read again one by one)
                int step = rows.cache().capacity();
                for (int i = 0; i < n; i++) {
                    int j = s.chosen[i];
                    for (int a = index.start(j); a < index.end(j); a += step) {
                        int b = Math.min(index.end(j), a + step);
                        rows.load(a, b);
                        exact(a, b, x, xOff, out, yOff);
                    }
                }
            }
        }
        int[] order = index.tokens();
        for (int i = 0; i < n; i++) s.isChosen[s.chosen[i]] = true;
        if (tail != null) {
            tail.project(x, xOff, s.u);
            for (int j = 0; j < K; j++) {
                if (s.isChosen[j]) continue;
                for (int a = index.start(j); a < index.end(j); a += Scratch.TAIL_ROWS) {
                    int b = Math.min(index.end(j), a + Scratch.TAIL_ROWS);
                    tail.rows(s.u, a, b, s.zHat, 0);
                    for (int r = a; r < b; r++) out[yOff + order[r]] = s.zHat[r - a];
                }
            }
        } else {
            float m = Float.NEGATIVE_INFINITY;
            double P = 0, Q = 0;
            for (int i = 0; i < n; i++) {
                int j = s.chosen[i];
                P += s.p[j];
                for (int r = index.start(j); r < index.end(j); r++) m = Math.max(m, out[yOff + order[r]]);
            }
            for (int i = 0; i < n; i++) {
                int j = s.chosen[i];
                for (int r = index.start(j); r < index.end(j); r++) Q += Math.exp(out[yOff + order[r]] - m);
            }
            for (int j = 0; j < K; j++) {
                if (s.isChosen[j]) continue;
                float z = pseudoLogit(m, Q, P, s.p[j], index.size(j));
                for (int r = index.start(j); r < index.end(j); r++) out[yOff + order[r]] = z;
            }
        }
        for (int i = 0; i < n; i++) s.isChosen[s.chosen[i]] = false;
        tokens.increment();
        clustersRead.add(n);
        rowsRead.add(exactRows);
    }

    /** Exact logits of one cluster, whose rows {@link RowTable#load} made resident. */
    private void exact(int j, float[] x, int xOff, float[] out, int yOff) {
        exact(index.start(j), index.end(j), x, xOff, out, yOff);
    }

    /** Exact logits of the rows [from, to) in cluster order, which {@link RowTable#load} made resident. */
    private void exact(int from, int to, float[] x, int xOff, float[] out, int yOff) {
        int[] order = index.tokens();
        for (int r = from; r < to; r++) {
            int tok = order[r];
            float s = rows.dot(r, x, xOff);
            out[yOff + tok] = bias == null ? s : s + bias[tok];
        }
    }

    /** The logit each of the n_j tokens of an unchosen cluster j gets (see the class comment). */
    static float pseudoLogit(float m, double Q, double P, float pj, int nj) {
        return (float) (m + Math.log(Q * Math.max(pj, MIN_PROB) / (P * nj)));
    }

    /** Tokens run through this head since it was made or {@link #resetCounters()}. */
    public long tokens() {
        return tokens.sum();
    }

    public double meanClustersPerToken() {
        long t = tokens.sum();
        return t == 0 ? Double.NaN : (double) clustersRead.sum() / t;
    }

    public double meanRowsPerToken() {
        long t = tokens.sum();
        return t == 0 ? Double.NaN : (double) rowsRead.sum() / t;
    }

    public void resetCounters() {
        tokens.reset();
        clustersRead.reset();
        rowsRead.reset();
        rows.cache().resetCounters();
    }

    /** Hits, misses and bytes read of the row cache since the counters were reset. */
    public CacheStats cacheStats() {
        return rows.cache().stats();
    }

    /** The head with its whole table read into memory, or mapped and paged in by rows read (before row caches). */
    public HeadMemory memory() {
        long rowBytes = rows.cache().recordBytes() + (bias == null ? 0 : 4) + (rows.precision() == RowPrecision.INT8 ? 4 : 0);
        // rows read so far stand in until a measurement on held-out text was recorded
        double rows = !Double.isNaN(rowsPerToken) ? rowsPerToken : meanRowsPerToken();
        return new HeadMemory(router.bytes() + (tail == null ? 0 : tail.bytes()), index.bytes(), rowBytes, vocab, rows);
    }

    /** Router, index, bias and the row table's cache and scales: bounded, however many rows have been read. */
    @Override
    public long residentBytes() {
        return router.bytes() + index.bytes() + (bias == null ? 0 : 4L * vocab) + rows.residentBytes()
                + (tail == null ? 0 : tail.bytes());
    }

    @Override
    public long parameters() {
        return (long) vocab * dim + (bias == null ? 0 : vocab) + router.parameters()
                + (tail == null ? 0 : tail.parameters());
    }
}
