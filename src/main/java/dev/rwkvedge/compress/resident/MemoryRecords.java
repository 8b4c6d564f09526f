package dev.rwkvedge.compress.resident;

import java.lang.foreign.MemorySegment;

/**
 * Records in memory: the stored form of a part built in this process, not yet written to a file. It plays the file's
 * role (it is what gets exported, and what a cache reads from), so it is storage, not resident memory.
 */
public record MemoryRecords(MemorySegment data, int recordBytes, int records) implements RecordSource {
    public MemoryRecords {
        if (data.byteSize() != (long) recordBytes * records) {
            throw new IllegalArgumentException(data.byteSize() + " bytes are not " + records + " records of " + recordBytes);
        }
    }

    @Override
    public void read(int first, int count, MemorySegment dst, long dstOffset) {
        MemorySegment.copy(data, (long) first * recordBytes, dst, dstOffset, (long) count * recordBytes);
    }
}
