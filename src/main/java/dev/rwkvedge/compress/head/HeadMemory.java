package dev.rwkvedge.compress.head;

/**
 * What the clustered head keeps in memory, two ways. Mapped: the reordered table stays in the file and only the rows
 * of the chosen clusters are paged in per token (the paper's accounting). Loaded: the whole table sits in memory.
 *
 * @param rowsPerToken head rows read per token on average (measured on held-out text), NaN before that is known
 */
public record HeadMemory(long routerBytes, long indexBytes, long rowBytes, int rows, double rowsPerToken) {

    public long tableBytes() {
        return rowBytes * rows;
    }

    /** Router + index + the rows an average token reads; the whole table while rowsPerToken is unknown. */
    public long residentIfMapped() {
        double read = Double.isNaN(rowsPerToken) ? rows : rowsPerToken;
        return routerBytes + indexBytes + Math.round(read * rowBytes);
    }

    public long residentIfLoaded() {
        return routerBytes + indexBytes + tableBytes();
    }
}
