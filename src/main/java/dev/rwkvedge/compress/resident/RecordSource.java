package dev.rwkvedge.compress.resident;

import java.lang.foreign.MemorySegment;

/**
 * Fixed-size records in storage (a region of the model file, or memory standing in for it before export), read by
 * position: nothing of it is held by the process except what a {@link RecordCache} copies out.
 */
public interface RecordSource {
    int recordBytes();

    int records();

    /**
     * Copies records [first, first + count) into dst at byte dstOffset (dst holds at least that much). An offset
     * instead of a slice of dst: a slice per read was an allocation per read on decode's path.
     */
    void read(int first, int count, MemorySegment dst, long dstOffset);
}
