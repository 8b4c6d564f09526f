package dev.rwkvedge.compress.resident;

import java.lang.foreign.MemorySegment;

/**
 * Fixed-size records in storage (a region of the model file, or memory standing in for it before export), read by
 * position: nothing of it is held by the process except what a {@link RecordCache} copies out.
 */
public interface RecordSource {
    int recordBytes();

    int records();

    /** Copies records [first, first + count) into dst, which holds exactly count * recordBytes bytes. */
    void read(int first, int count, MemorySegment dst);
}
