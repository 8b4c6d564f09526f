package dev.rwkvedge.compress.embedding;

import dev.rwkvedge.runtime.DenseEmbedding;
import dev.rwkvedge.runtime.Embedding;
import dev.rwkvedge.runtime.RwkvModel;
import java.util.Arrays;
import java.util.Objects;

/**
 * The embedding table stays in the (memory-mapped) file; the most recently used rows live in a small cache, widened
 * to float32, evicted least recently used first. A miss reads through the dense embedding, so rows are exactly
 * its rows; the dense embedding itself keeps nothing resident beyond the mapping.
 *
 * <p>LN0 is not folded into the rows: the model applies ln0 after every lookup, so folding it here would apply it
 * twice. Folding belongs to an exporter that writes the folded table and drops ln0 together.
 *
 * <p>The LRU order is an intrusive doubly linked list over cache slots in int arrays, and a token-to-slot table: no
 * boxing and no allocation per lookup, and every byte it keeps is counted in {@link #residentBytes()}.
 */
public final class CachedEmbedding implements Embedding {
    private static final int NONE = -1;

    private final DenseEmbedding table;
    private final int vocab, dim, capacity;
    private final float[] cache;
    private final int[] slotOf, tokenOf, newer, older;
    private int used, newest = NONE, oldest = NONE;
    private long hits, misses;

    public CachedEmbedding(DenseEmbedding table, int cacheRows) {
        if (cacheRows < 1) throw new IllegalArgumentException("the cache needs at least one row, got " + cacheRows);
        this.table = table;
        this.vocab = table.vocab();
        this.dim = table.dim();
        this.capacity = Math.min(cacheRows, vocab);
        this.cache = new float[capacity * dim];
        this.slotOf = new int[vocab];
        Arrays.fill(slotOf, NONE);
        this.tokenOf = new int[capacity];
        this.newer = new int[capacity];
        this.older = new int[capacity];
    }

    /** Replaces the model's dense embedding by a cached one over the same table; returns it. */
    public static CachedEmbedding install(RwkvModel model, EmbeddingCacheSettings settings) {
        if (!(model.embedding() instanceof DenseEmbedding dense)) {
            throw new IllegalStateException("the row cache needs the dense embedding table, found "
                    + model.embedding().getClass().getSimpleName());
        }
        CachedEmbedding cached = new CachedEmbedding(dense, settings.cacheRows());
        model.setEmbedding(cached);
        return cached;
    }

    @Override
    public int vocab() {
        return vocab;
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public synchronized void row(int token, float[] out, int off) {
        int slot = slotOf[Objects.checkIndex(token, vocab)];
        if (slot != NONE) {
            hits++;
            unlink(slot);
        } else {
            misses++;
            slot = used < capacity ? used++ : evictOldest();
            slotOf[token] = slot;
            tokenOf[slot] = token;
            table.row(token, cache, slot * dim);
        }
        pushNewest(slot);
        System.arraycopy(cache, slot * dim, out, off, dim);
    }

    private int evictOldest() {
        int slot = oldest;
        unlink(slot);
        slotOf[tokenOf[slot]] = NONE;
        return slot;
    }

    private void unlink(int slot) {
        int n = newer[slot], o = older[slot];
        if (n != NONE) older[n] = o;
        else newest = o;
        if (o != NONE) newer[o] = n;
        else oldest = n;
    }

    private void pushNewest(int slot) {
        newer[slot] = NONE;
        older[slot] = newest;
        if (newest != NONE) newer[newest] = slot;
        newest = slot;
        if (oldest == NONE) oldest = slot;
    }

    /** The cached tokens, most recently used first. */
    public synchronized int[] cachedTokens() {
        int[] t = new int[used];
        int i = 0;
        for (int s = newest; s != NONE; s = older[s]) t[i++] = tokenOf[s];
        return t;
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }

    public synchronized void resetCounters() {
        hits = 0;
        misses = 0;
    }

    public int capacity() {
        return capacity;
    }

    /** The cached rows alone: N x C float32. */
    public long cacheBytes() {
        return 4L * capacity * dim;
    }

    /** Cache rows plus the LRU bookkeeping (token-to-slot table and three ints per slot); the table is not resident. */
    @Override
    public long residentBytes() {
        return cacheBytes() + 4L * vocab + 12L * capacity;
    }

    @Override
    public long parameters() {
        return (long) vocab * dim;
    }
}
