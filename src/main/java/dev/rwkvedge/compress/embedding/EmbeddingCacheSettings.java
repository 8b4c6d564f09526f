package dev.rwkvedge.compress.embedding;

/** The recipe's knob for the embedding on demand: how many rows the cache keeps (absent or 0: the paper's 1000). */
public record EmbeddingCacheSettings(int cacheRows) {
    public EmbeddingCacheSettings {
        if (cacheRows == 0) cacheRows = 1000;
        if (cacheRows < 0) throw new IllegalArgumentException("cacheRows must be positive, got " + cacheRows);
    }
}
