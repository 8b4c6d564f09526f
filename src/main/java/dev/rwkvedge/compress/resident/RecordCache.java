package dev.rwkvedge.compress.resident;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A bounded cache of records from a {@link RecordSource}: a fixed number of slots in one native block, evicted least
 * recently used first, so what it holds never grows past {@link #residentBytes()}. Runs of consecutive missing
 * records are read with one positional read each (through a small staging block right after the slots), which is
 * what makes reading a whole cluster of head rows or a run of neurons cheap; a scan larger than the cache reads
 * windows of slots and staging block together ({@link #readWindow}).
 *
 * <p>An offset returned by {@link #at} stays valid until the next load; callers hold {@link #lock()} while they use
 * one ({@code synchronized (cache.lock())}): the cache itself, or the group of caches that share their memory for
 * windows ({@link #sharing}). The LRU order is an intrusive list over slots in int arrays: no
 * allocation per access, and every byte is counted.
 */
public final class RecordCache {
    private static final int NONE = -1;
    /** Records per positional read when a run of misses is loaded. */
    static final int STAGE_RECORDS = 64;

    private final RecordSource source;
    private final int recordBytes, capacity;
    /** The slots, then the staging block, in one block; a window spans them, and a sharing group's whole block. */
    private final MemorySegment window, slots, stage;
    /** This cache, or the group sharing one block: a window of one member overwrites every member's slots. */
    private final Object lock;
    private final Group group;
    private final SlotIndex slotOf;
    private final int[] recordOf, newer, older;
    private int used, newest = NONE, oldest = NONE;
    private long hits, misses, reads;

    public RecordCache(RecordSource source, int capacity) {
        this(source, capacity, null, null);
    }

    /** own: this cache's slots and stage (allocated here when null); group: the sharing group, or null. */
    private RecordCache(RecordSource source, int capacity, MemorySegment own, Group group) {
        if (capacity < 1) throw new IllegalArgumentException("a cache needs at least one slot, got " + capacity);
        this.source = source;
        this.recordBytes = source.recordBytes();
        this.capacity = Math.min(capacity, source.records());
        long slotBytes = (long) this.capacity * recordBytes;
        MemorySegment block = own != null ? own : Arena.ofAuto().allocate(slotAndStageBytes(this.capacity, recordBytes), 64);
        this.slots = block.asSlice(0, slotBytes);
        this.stage = block.asSlice(slotBytes);
        this.window = group != null ? group.block : block;
        this.lock = group != null ? group : this;
        this.group = group;
        this.slotOf = new SlotIndex(source.records(), this.capacity);
        this.recordOf = new int[this.capacity];
        this.newer = new int[this.capacity];
        this.older = new int[this.capacity];
    }

    /**
     * Caches over these sources (records of one size) whose slots and staging blocks lie in one block, so that a
     * window of any of them spans all of it: the same bytes as separate caches, and windows as many times larger
     * as there are members. For parts used one after another (the channel mixes of successive layers, each reading
     * more neurons a token than its cache holds); a window makes every member forget what it held, so all members
     * share one lock.
     */
    public static List<RecordCache> sharing(List<RecordSource> sources, int[] capacities) {
        int recordBytes = sources.getFirst().recordBytes();
        long total = 0;
        long[] own = new long[sources.size()];
        for (int i = 0; i < sources.size(); i++) {
            if (sources.get(i).recordBytes() != recordBytes) {
                throw new IllegalArgumentException("caches sharing a block need records of one size");
            }
            own[i] = slotAndStageBytes(Math.min(capacities[i], sources.get(i).records()), recordBytes);
            total += own[i];
        }
        Group g = new Group(Arena.ofAuto().allocate(total, 64));
        List<RecordCache> caches = new ArrayList<>();
        long at = 0;
        for (int i = 0; i < sources.size(); i++) {
            caches.add(new RecordCache(sources.get(i), capacities[i], g.block.asSlice(at, own[i]), g));
            at += own[i];
        }
        g.members = caches.toArray(RecordCache[]::new);
        return caches;
    }

    /** Caches whose memory lies in one block; also their lock. */
    private static final class Group {
        final MemorySegment block;
        RecordCache[] members;

        Group(MemorySegment block) {
            this.block = block;
        }
    }

    /** What callers hold while they use an offset or block this cache returned. */
    public Object lock() {
        return lock;
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
    public long at(int record) {
        synchronized (lock) {
            int slot = slotOf.get(record);
            if (slot != NONE) {
                hits++;
                touch(slot);
                return (long) slot * recordBytes;
            }
            misses++;
            slot = claim(record);
            reads++;
            source.read(record, 1, slots, (long) slot * recordBytes);
            return (long) slot * recordBytes;
        }
    }

    /**
     * Makes records[from .. to) resident (at most {@link #capacity()} of them, or the first ones get evicted again),
     * counting a hit or a miss for each; consecutive missing ids are read together. {@link #at} then finds them
     * without counting again only if called through {@link #peek}.
     */
    public void load(int[] records, int from, int to) {
        loadEach(records, 0, from, to);
    }

    /** {@link #load} of the consecutive records [first, end). */
    public void loadRange(int first, int end) {
        loadEach(null, first, 0, end - first);
    }

    /** Loads records[i] for i in [from, to), or first + i where records is null (a range). */
    private void loadEach(int[] records, int first, int from, int to) {
        synchronized (lock) {
            int i = from;
            while (i < to) {
                int r = records == null ? first + i : records[i];
                int cached = slotOf.get(r);
                if (cached != NONE) {
                    hits++;
                    touch(cached);
                    i++;
                    continue;
                }
                int run = 1;
                while (i + run < to && run < STAGE_RECORDS && (records == null || records[i + run] == r + run)
                        && slotOf.get(r + run) == NONE) {
                    run++;
                }
                readRun(r, run);
                i += run;
            }
        }
    }

    /** Records in the staging block (none for a one-slot cache). */
    private int stageRecords() {
        return capacity > 1 ? Math.min(STAGE_RECORDS, capacity) : 0;
    }

    /** Bytes of the slots and staging block of a cache of cap slots (cap at most the records). */
    private static long slotAndStageBytes(int cap, int recordBytes) {
        return ((long) cap + (cap > 1 ? Math.min(STAGE_RECORDS, cap) : 0)) * recordBytes;
    }

    /**
     * Records one {@link #readWindow} reads at most: slots and staging block together, or a sharing group's whole
     * block (0 without a stage).
     */
    public int windowRecords() {
        return capacity > 1 ? (int) Math.min(source.records(), window.byteSize() / recordBytes) : 0;
    }

    /**
     * Reads records [first, first + n) (n at most {@link #windowRecords()}) into the slots and staging block as one
     * block and returns it, record first + i at i x record bytes. For a scan larger than the cache (a head reading
     * 2,000 rows a token through 64 slots, or a token's neurons through 32), where least-recently-used eviction drops
     * every record before its next use: the cache (and every cache sharing its block) forgets what it held and lends
     * its memory to the window, so a window is twice the staging block or more at no extra byte. Every record read
     * counts as a miss, wanted or not, so bytes read stay misses x record bytes. The block is valid until the next
     * read; callers hold {@link #lock()} while they use it.
     */
    public MemorySegment readWindow(int first, int n) {
        synchronized (lock) {
            if (n < 1 || n > windowRecords()) {
                throw new IllegalArgumentException(n + " records in a window of " + windowRecords());
            }
            if (group == null) forgetAll();
            else for (RecordCache m : group.members) m.forgetAll();
            misses += n;
            reads++;
            source.read(first, n, window, 0);
            return window;
        }
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
    public long peek(int record) {
        synchronized (lock) {
            int slot = slotOf.get(record);
            if (slot == NONE) return at(record);
            return (long) slot * recordBytes;
        }
    }

    private void readRun(int first, int run) {
        misses += run;
        reads++;
        if (run == 1) {
            int slot = claim(first);
            source.read(first, 1, slots, (long) slot * recordBytes);
            return;
        }
        int done = 0;
        while (done < run) {
            int n = Math.min(run - done, (int) (stage.byteSize() / recordBytes));
            source.read(first + done, n, stage, 0);
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
    public int[] cachedRecords() {
        synchronized (lock) {
            int[] t = new int[used];
            int i = 0;
            for (int s = newest; s != NONE; s = older[s]) t[i++] = recordOf[s];
            return t;
        }
    }

    public CacheStats stats() {
        synchronized (lock) {
            return new CacheStats(hits, misses, misses * recordBytes, reads);
        }
    }

    public void resetCounters() {
        synchronized (lock) {
            hits = 0;
            misses = 0;
            reads = 0;
        }
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
        return slotAndStageBytes(cap, recordBytes) + SlotIndex.bytes(records, cap) + 12L * cap;
    }
}
