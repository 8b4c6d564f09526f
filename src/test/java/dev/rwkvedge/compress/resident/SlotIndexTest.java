package dev.rwkvedge.compress.resident;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlotIndexTest {

    /** Random puts and removes, as an LRU cache makes them, answer as a HashMap does, in both layouts. */
    @ParameterizedTest
    @CsvSource({"8192, 64", "768, 32", "8192, 1", "100, 90", "40, 16"})
    void answersAsAMapDoes(int records, int capacity) {
        SlotIndex index = new SlotIndex(records, capacity);
        Map<Integer, Integer> expected = new HashMap<>();
        int[] recordOf = new int[capacity];
        java.util.Arrays.fill(recordOf, -1);
        Random r = new Random(records * 31L + capacity);
        for (int op = 0; op < 200_000; op++) {
            int slot = r.nextInt(capacity);
            // clustered record ids, so that probe runs collide and wrap around
            int record = r.nextInt(4) == 0 ? r.nextInt(records) : (records / 2 + r.nextInt(Math.min(records / 2, 3 * capacity)));
            if (expected.containsKey(record)) continue;
            if (recordOf[slot] >= 0) {
                index.remove(recordOf[slot]);
                expected.remove(recordOf[slot]);
            }
            index.put(record, slot);
            expected.put(record, slot);
            recordOf[slot] = record;
            if (op % 997 == 0) {
                for (int q = 0; q < records; q++) assertEquals(expected.getOrDefault(q, SlotIndex.NONE), index.get(q), "record " + q);
            }
        }
        for (int q = 0; q < records; q++) assertEquals(expected.getOrDefault(q, SlotIndex.NONE), index.get(q));
    }

    @ParameterizedTest
    @CsvSource({
            "8192, 64, 1024",   // hash of 128 entries, 8 bytes each, not 32 KB of direct table
            "8192, 32, 512",
            "768, 32, 512",
            "10, 3, 40",        // a direct table is smaller: 4 bytes per record
            "8192, 8192, 32768"})
    void bytesAreTheSmallerLayout(int records, int capacity, long bytes) {
        assertEquals(bytes, SlotIndex.bytes(records, capacity));
    }
}
