package dev.rwkvedge.compress.resident;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A bounded cache of records from a {@link RecordSource}: a fixed number of slots in one native block, evicted least
 * recently used first, so what it holds never grows past {@link #residentBytes()}. Runs of consecutive missing
 * records are read with one positional read each (through a small staging block right after the slots), which is
 * what makes reading a whole cluster of head rows or a run of neurons cheap; a scan larger than the cache reads
 * windows of slots and staging block together ({@link #readWindow}).
 *
 * <p>An offset returned by {@link #at} stays valid until the next load; callers hold this object's monitor while
 * they use one ({@code synchronized (cache)}). The LRU order is an intrusive list over slots in int arrays: no
 * allocation per access, and every byte is counted.
 */
public final class RecordCache {
    private static final int NONE = -1;
    /** Records per positional read when a run of misses is loaded. */
    static final int STAGE_RECORDS = 64;

    private final RecordSource source;
    private final int recordBytes, capacity;
    /** The slots, then the staging block: one block, so that a window can span both. */
    private final MemorySegment block, slots, stage;
    private final SlotIndex slotOf;
    private final int[] recordOf, newer, older;
    private int used, newest = NONE, oldest = NONE;
    private long hits, misses, reads;

    public RecordCache(RecordSource source, int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("a cache needs at least one slot, got " + capacity);
        this.source = source;
        this.recordBytes = source.recordBytes();
        this.capacity = Math.min(capacity, source.records());
        long slotBytes = (long) this.capacity * recordBytes;
        this.block = Arena.ofAuto().allocate(slotBytes + (long) stageRecords() * recordBytes, 64);
        this.slots = block.asSlice(0, slotBytes);
        this.stage = block.asSlice(slotBytes);
        this.slotOf = new SlotIndex(source.records(), this.capacity);
        this.recordOf = new int[this.capacity];
        this.newer = new int[this.capacity];
        this.older = new int[this.capacity];
    }

    public RecordSource source() {
        return source;
    }

    public int capacity() {
        return capacity;
    }

    public int recordBytes() {
        return recordBytes;
    }

    /** Whether every record fits, so that once read, nothing is ever read again. */
    public boolean holdsAll() {
        return capacity == source.records();
    }

    /** The slots; a record's bytes start at {@link #at}. */
    public MemorySegment slots() {
        return slots;
    }

    /** Byte offset in {@link #slots()} of the record, reading it if absent (counted as a hit or a miss). */
    public synchronized long at(int record) {
        int slot = slotOf.get(record);
        if (slot != NONE) {
            hits++;
            touch(slot);
            return (long) slot * recordBytes;
        }
        misses++;
        slot = claim(record);
        reads++;
        source.read(record, 1, slots.asSlice((long) slot * recordBytes, recordBytes));
        return (long) slot * recordBytes;
    }

    /**
     * Makes records[from .. to) resident (at most {@link #capacity()} of them, or the first ones get evicted again),
     * counting a hit or a miss for each; consecutive missing ids are read together. {@link #at} then finds them
     * without counting again only if called through {@link #peek}.
     */
    public synchronized void load(int[] records, int from, int to) {
        int i = from;
        while (i < to) {
            int r = records[i];
            int cached = slotOf.get(r);
            if (cached != NONE) {
                hits++;
                touch(cached);
                i++;
                continue;
            }
            int run = 1;
            while (i + run < to && run < STAGE_RECORDS && records[i + run] == r + run && slotOf.get(r + run) == NONE) run++;
            readRun(r, run);
            i += run;
        }
    }

    /** {@link #load} of the consecutive records [first, end). */
    public synchronized void loadRange(int first, int end) {
        int r = first;
        while (r < end) {
            int cached = slotOf.get(r);
            if (cached != NONE) {
                hits++;
                touch(cached);
                r++;
                continue;
            }
            int run = 1;
            while (r + run < end && run < STAGE_RECORDS && slotOf.get(r + run) == NONE) run++;
            readRun(r, run);
            r += run;
        }
    }

    /** Records in the staging block (none for a one-slot cache). */
    private int stageRecords() {
        return capacity > 1 ? Math.min(STAGE_RECORDS, capacity) : 0;
    }

    /** Records one {@link #readWindow} reads at most: slots and staging block together (0 without a stage). */
    public int windowRecords() {
        return capacity > 1 ? capacity + stageRecords() : 0;
    }

    /**
     * Reads records [first, first + n) (n at most {@link #windowRecords()}) into the slots and staging block as one
     * block and returns it, record first + i at i x record bytes. For a scan larger than the cache (a head reading
     * 2,000 rows a token through 64 slots, or a token's neurons through 32), where least-recently-used eviction drops
     * every record before its next use: the cache forgets what it held and lends its memory to the window, so a
     * window is twice the staging block at no extra byte. Every record read counts as a miss, wanted or not, so
     * bytes read stay misses x record bytes. The block is valid until the next read; callers hold this object's
     * monitor while they use it.
     */
    public synchronized MemorySegment readWindow(int first, int n) {
        if (n < 1 || n > windowRecords()) {
            throw new IllegalArgumentException(n + " records in a window of " + windowRecords());
        }
        forgetAll();
        misses += n;
        reads++;
        source.read(first, n, block.asSlice(0, (long) n * recordBytes));
        return block;
    }

    /**
     * Where a {@link #readWindow} that starts at records[from] ends: the index past the last of the ascending
     * records[from .. to) that fit in one window with no gap between neighbours longer than {@code maxGap} records.
     * A positional read costs about as much as copying tens of kilobytes (1.5 us a read, 65 KB in 3.6 us on the
     * 2-core benchmark machine), so one read spanning unwanted records beats one read per wanted record; the gap
     * bound is the caller's trade between reads and bytes read.
     */
    public int windowEnd(int[] records, int from, int to, int maxGap) {
        int limit = records[from] + windowRecords(), i = from + 1;
        while (i < to && records[i] < limit && records[i] - records[i - 1] - 1 <= maxGap) i++;
        return i;
    }

    private void forgetAll() {
        for (int slot = 0; slot < used; slot++) slotOf.remove(recordOf[slot]);
        used = 0;
        newest = NONE;
        oldest = NONE;
    }

    /** Offset of a record that {@link #load} just made resident (not counted again); reads it if it was evicted. */
    public synchronized long peek(int record) {
        int slot = slotOf.get(record);
        if (slot == NONE) return at(record);
        return (long) slot * recordBytes;
    }

    private void readRun(int first, int run) {
        misses += run;
        reads++;
        if (run == 1) {
            int slot = claim(first);
            source.read(first, 1, slots.asSlice((long) slot * recordBytes, recordBytes));
            return;
        }
        int done = 0;
        while (done < run) {
            int n = Math.min(run - done, (int) (stage.byteSize() / recordBytes));
            source.read(first + done, n, stage.asSlice(0, (long) n * recordBytes));
            for (int k = 0; k < n; k++) {
                int slot = claim(first + done + k);
                MemorySegment.copy(stage, (long) k * recordBytes, slots, (long) slot * recordBytes, recordBytes);
            }
            done += n;
        }
    }

    /** A slot for a record not in the cache: a free one, or the least recently used one's. */
    private int claim(int record) {
        int slot;
        if (used < capacity) {
            slot = used++;
        } else {
            slot = oldest;
            unlink(slot);
            slotOf.remove(recordOf[slot]);
        }
        slotOf.put(record, slot);
        recordOf[slot] = record;
        pushNewest(slot);
        return slot;
    }

    private void touch(int slot) {
        if (slot == newest) return;
        unlink(slot);
        pushNewest(slot);
    }

    private void unlink(int slot) {
        int n = newer[slot], o = older[slot];
        if (n != NONE) older[n] = o;
        else newest = o;
        if (o != NONE) newer[o] = n;
        else oldest = n;
    }

    private void pushNewest(int slot) {
        newer[slot] = NONE;
        older[slot] = newest;
        if (newest != NONE) newer[newest] = slot;
        newest = slot;
        if (oldest == NONE) oldest = slot;
    }

    /** The cached records, most recently used first. */
    public synchronized int[] cachedRecords() {
        int[] t = new int[used];
        int i = 0;
        for (int s = newest; s != NONE; s = older[s]) t[i++] = recordOf[s];
        return t;
    }

    public synchronized CacheStats stats() {
        return new CacheStats(hits, misses, misses * recordBytes, reads);
    }

    public synchronized void resetCounters() {
        hits = 0;
        misses = 0;
        reads = 0;
    }

    /** Slots, staging block and bookkeeping: everything this cache holds, whatever has been read. */
    public long residentBytes() {
        return bytes(source.records(), recordBytes, capacity);
    }

    /**
     * What a cache of this many slots over these records holds: its slots, a staging block of up to
     * {@value #STAGE_RECORDS} records for runs of misses, the record-to-slot index and three ints of LRU bookkeeping
     * per slot (also what an analytic size, before anything is built, counts).
     */
    public static long bytes(int records, int recordBytes, int capacity) {
        int cap = Math.min(capacity, records);
        long stage = cap > 1 ? (long) Math.min(STAGE_RECORDS, cap) * recordBytes : 0;
        return (long) cap * recordBytes + stage + SlotIndex.bytes(records, cap) + 12L * cap;
    }
}
