package dev.rwkvedge.compress.embedding;

import dev.rwkvedge.compress.resident.RowPrecision;

/**
 * The recipe's knobs for the embedding on demand: how many rows the cache keeps (absent or 0: the paper's 1000) and
 * how the rows are stored (absent: int8 with a scale per row).
 */
public record EmbeddingCacheSettings(int cacheRows, RowPrecision precision) {
    public EmbeddingCacheSettings {
        if (cacheRows == 0) cacheRows = 1000;
        if (cacheRows < 0) throw new IllegalArgumentException("cacheRows must be positive, got " + cacheRows);
        if (precision == null) precision = RowPrecision.INT8;
    }

    public EmbeddingCacheSettings(int cacheRows) {
        this(cacheRows, null);
    }
}
