package dev.rwkvedge.compress.resident;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class RecordCacheTest {
    private static final int RECORD = 8, RECORDS = 200;

    /** Records whose every byte is the record's id (mod 256), so a read shows which records it holds. */
    private static RecordCache cache(int capacity) {
        MemorySegment data = Arena.ofAuto().allocate((long) RECORD * RECORDS);
        for (int r = 0; r < RECORDS; r++) data.asSlice((long) r * RECORD, RECORD).fill((byte) r);
        return new RecordCache(new MemoryRecords(data, RECORD, RECORDS), capacity);
    }

    @Test
    void aWindowEndsAtALongGapOrWhereSlotsAndStageAreFull() {
        RecordCache c = cache(5); // windows of 5 slots and a stage of 5
        int[] ids = {3, 4, 6, 9, 12, 13, 30, 31, 32};
        assertEquals(5, c.windowEnd(ids, 0, ids.length, 2), "3..12 fit in 3 + 10, gaps of at most 2; 13 does not");
        assertEquals(3, c.windowEnd(ids, 0, ids.length, 1), "the gap 6 -> 9 is 2 records");
        assertEquals(2, c.windowEnd(ids, 0, ids.length, 0), "3, 4 are neighbours, 6 is not");
        assertEquals(6, c.windowEnd(ids, 4, ids.length, 100), "12, 13 then 30 is past 12 + 10");
        assertEquals(9, c.windowEnd(ids, 6, ids.length, 0), "the last window ends at the list's end");
        assertEquals(5, c.windowEnd(ids, 4, 5, 100), "never past the range asked for");
    }

    @Test
    void aWindowCountsEveryRecordItReadsAndTheCacheForgetsWhatItHeld() {
        RecordCache c = cache(5);
        c.at(5);
        c.at(6);
        MemorySegment block = c.readWindow(3, 10); // records 3..12, the wanted ones and the gaps between them
        for (int i = 0; i < 10; i++) assertEquals((byte) (3 + i), block.get(ValueLayout.JAVA_BYTE, (long) i * RECORD));
        assertEquals(new CacheStats(0, 12, 12L * RECORD, 3), c.stats(), "two misses, ten records in a window");
        assertEquals(0, c.cachedRecords().length, "the window used the slots: nothing is cached any more");
        long at = c.at(5);
        assertEquals((byte) 5, c.slots().get(ValueLayout.JAVA_BYTE, at), "and a record asked for is read again");
        assertEquals(new CacheStats(0, 13, 13L * RECORD, 4), c.stats());
        assertEquals(RecordCache.bytes(RECORDS, RECORD, 5), c.residentBytes(), "the window costs no byte more");
    }
}
