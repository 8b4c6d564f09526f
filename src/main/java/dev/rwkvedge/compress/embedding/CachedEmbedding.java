package dev.rwkvedge.compress.embedding;

import dev.rwkvedge.compress.head.HeadRows;
import dev.rwkvedge.compress.resident.CacheStats;
import dev.rwkvedge.compress.resident.RowPrecision;
import dev.rwkvedge.compress.resident.RowTable;
import dev.rwkvedge.runtime.DenseEmbedding;
import dev.rwkvedge.runtime.Embedding;
import dev.rwkvedge.runtime.RwkvModel;
import java.util.Objects;

/**
 * The embedding table stays in storage (the model file, read by position; or memory standing in for it before
 * export), in float32 or int8 rows; the most recently used rows live in a bounded cache in their stored form. The
 * process holds the cache, the int8 scales and the cache's bookkeeping, nothing else of the table.
 *
 * <p>LN0 is not folded into the rows: the model applies ln0 after every lookup, so folding it here would apply it
 * twice. Folding belongs to an exporter that writes the folded table and drops ln0 together.
 */
public final class CachedEmbedding implements Embedding {
    private final RowTable table;

    public CachedEmbedding(RowTable table) {
        this.table = table;
    }

    /** The rows of a dense table, exactly (float32), behind a cache of cacheRows rows. */
    public CachedEmbedding(DenseEmbedding dense, int cacheRows) {
        this(RowTable.of(HeadRows.embeddingRows(dense), dense.vocab(), dense.dim(), RowPrecision.F32, cacheRows));
    }

    /** Replaces the model's dense embedding by a cached one over its rows in the settings' precision; returns it. */
    public static CachedEmbedding install(RwkvModel model, EmbeddingCacheSettings settings) {
        if (!(model.embedding() instanceof DenseEmbedding dense)) {
            throw new IllegalStateException("the row cache needs the dense embedding table, found "
                    + model.embedding().getClass().getSimpleName());
        }
        CachedEmbedding cached = new CachedEmbedding(RowTable.of(HeadRows.embeddingRows(dense), dense.vocab(),
                dense.dim(), settings.precision(), settings.cacheRows()));
        model.setEmbedding(cached);
        return cached;
    }

    public RowTable table() {
        return table;
    }

    @Override
    public int vocab() {
        return table.rows();
    }

    @Override
    public int dim() {
        return table.dim();
    }

    @Override
    public void row(int token, float[] out, int off) {
        table.row(Objects.checkIndex(token, table.rows()), out, off);
    }

    /** The cached tokens, most recently used first. */
    public int[] cachedTokens() {
        return table.cache().cachedRecords();
    }

    public long hits() {
        return table.cache().stats().hits();
    }

    public long misses() {
        return table.cache().stats().misses();
    }

    public CacheStats stats() {
        return table.cache().stats();
    }

    public void resetCounters() {
        table.cache().resetCounters();
    }

    public int capacity() {
        return table.cache().capacity();
    }

    /** The cached rows alone, in their stored form. */
    public long cacheBytes() {
        return table.cache().slots().byteSize();
    }

    /** Cache, its bookkeeping and the int8 scales; the table itself is not resident. */
    @Override
    public long residentBytes() {
        return table.residentBytes();
    }

    @Override
    public long parameters() {
        return (long) table.rows() * table.dim();
    }
}
