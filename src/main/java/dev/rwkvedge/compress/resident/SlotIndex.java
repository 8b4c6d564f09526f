package dev.rwkvedge.compress.resident;

import java.util.Arrays;

/**
 * Which cache slot holds a record. A table with an entry per record costs 4 bytes per record whatever the cache's
 * size: 32 KB for the 8,192 rows of a head or an embedding behind a 64-row cache, more than the cache itself. So a
 * small cache uses an open-addressing hash of at least twice its slots (linear probing, deletion by backward shift,
 * 8 bytes per entry), and a cache holding a large share of the records keeps the direct table, whichever is smaller.
 */
final class SlotIndex {
    static final int NONE = -1;

    private final int[] direct;
    private final int[] keys, values;
    private final int mask;

    SlotIndex(int records, int capacity) {
        int size = hashSize(capacity);
        if (useDirect(records, capacity)) {
            direct = new int[records];
            Arrays.fill(direct, NONE);
            keys = values = null;
            mask = 0;
        } else {
            direct = null;
            keys = new int[size];
            Arrays.fill(keys, NONE);
            values = new int[size];
            mask = size - 1;
        }
    }

    /** Bytes an index for this many records and slots holds. */
    static long bytes(int records, int capacity) {
        return useDirect(records, capacity) ? 4L * records : 8L * hashSize(capacity);
    }

    private static boolean useDirect(int records, int capacity) {
        return 4L * records <= 8L * hashSize(capacity);
    }

    /** The smallest power of two at least twice the slots (a load factor of at most one half). */
    private static int hashSize(int capacity) {
        return Integer.highestOneBit(Math.max(1, 2 * capacity - 1)) << 1;
    }

    int get(int record) {
        if (direct != null) return direct[record];
        for (int i = home(record); ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == record) return values[i];
            if (k == NONE) return NONE;
        }
    }

    void put(int record, int slot) {
        if (direct != null) {
            direct[record] = slot;
            return;
        }
        int i = home(record);
        while (keys[i] != NONE && keys[i] != record) i = (i + 1) & mask;
        keys[i] = record;
        values[i] = slot;
    }

    void remove(int record) {
        if (direct != null) {
            direct[record] = NONE;
            return;
        }
        int i = home(record);
        while (keys[i] != record) {
            if (keys[i] == NONE) return;
            i = (i + 1) & mask;
        }
        keys[i] = NONE;
        // backward shift: move up every later entry of the run whose home does not lie in (i, j]
        for (int j = (i + 1) & mask; keys[j] != NONE; j = (j + 1) & mask) {
            int h = home(keys[j]);
            boolean between = i <= j ? i < h && h <= j : i < h || h <= j;
            if (!between) {
                keys[i] = keys[j];
                values[i] = values[j];
                keys[j] = NONE;
                i = j;
            }
        }
    }

    private int home(int record) {
        int h = record * 0x9E3779B1;
        return (h ^ (h >>> 16)) & mask;
    }
}
