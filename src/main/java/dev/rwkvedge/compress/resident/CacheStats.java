package dev.rwkvedge.compress.resident;

/**
 * What a {@link RecordCache} did since its counters were reset.
 *
 * @param bytesRead bytes copied from storage (the paper's flash reads)
 * @param reads     positional reads issued (a run of consecutive records is one)
 */
public record CacheStats(long hits, long misses, long bytesRead, long reads) {
    public static final CacheStats NONE = new CacheStats(0, 0, 0, 0);

    public double hitRate() {
        long n = hits + misses;
        return n == 0 ? Double.NaN : (double) hits / n;
    }

    public CacheStats plus(CacheStats o) {
        return new CacheStats(hits + o.hits, misses + o.misses, bytesRead + o.bytesRead, reads + o.reads);
    }
}
