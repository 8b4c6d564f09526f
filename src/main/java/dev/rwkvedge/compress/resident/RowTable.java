package dev.rwkvedge.compress.resident;

import dev.rwkvedge.runtime.Int8Projection;
import dev.rwkvedge.runtime.Kernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A table of rows (head rows, embedding rows) kept in storage and read through a bounded {@link RecordCache}: float32
 * rows, or int8 rows with one scale per row (scale = max|row| / 127, as {@link Int8Projection}), the scales resident.
 */
public final class RowTable {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private final RowPrecision precision;
    private final int rows, dim;
    private final float[] scales;
    private final RecordCache cache;

    public RowTable(RowPrecision precision, int dim, float[] scales, RecordSource source, int cacheRows) {
        if (source.recordBytes() != recordBytes(precision, dim)) {
            throw new IllegalArgumentException("records of " + source.recordBytes() + " bytes are not " + precision
                    + " rows of " + dim);
        }
        if ((precision == RowPrecision.INT8) != (scales != null) || scales != null && scales.length != source.records()) {
            throw new IllegalArgumentException("int8 rows need one scale per row, float32 rows none");
        }
        this.precision = precision;
        this.rows = source.records();
        this.dim = dim;
        this.scales = scales;
        this.cache = new RecordCache(source, cacheRows);
    }

    /** The rows (n x dim, row-major) in the given precision, in memory, behind a cache of cacheRows rows. */
    public static RowTable of(float[] values, int n, int dim, RowPrecision precision, int cacheRows) {
        if (precision == RowPrecision.F32) {
            MemorySegment seg = Arena.ofAuto().allocate(4L * values.length, 64);
            MemorySegment.copy(values, 0, seg, F, 0, values.length);
            return new RowTable(precision, dim, null, new MemoryRecords(seg, 4 * dim, n), cacheRows);
        }
        Int8Projection q = Int8Projection.quantize(values, n, dim);
        return new RowTable(precision, dim, q.scales(), new MemoryRecords(q.values(), dim, n), cacheRows);
    }

    public static int recordBytes(RowPrecision p, int dim) {
        return p == RowPrecision.F32 ? 4 * dim : dim;
    }

    /** The same rows behind a cache of another size (counters start at zero). */
    public RowTable withCacheRows(int cacheRows) {
        return new RowTable(precision, dim, scales, cache.source(), cacheRows);
    }

    public RowPrecision precision() {
        return precision;
    }

    public int rows() {
        return rows;
    }

    public int dim() {
        return dim;
    }

    public RecordCache cache() {
        return cache;
    }

    /** The per-row scales of int8 rows (a copy), null for float32. */
    public float[] scales() {
        return scales == null ? null : scales.clone();
    }

    /** Reads every row's stored bytes, in order, for an exporter (through the source, not the cache). */
    public MemorySegment storedBytes() {
        MemorySegment all = Arena.ofAuto().allocate((long) rows * cache.recordBytes(), 64);
        cache.source().read(0, rows, all, 0);
        return all;
    }

    /** Makes rows [from, to) resident, in as few reads as they allow. */
    public void load(int from, int to) {
        cache.loadRange(from, to);
    }

    /** row r . x, after {@link #load} (caller holds the cache's lock()). */
    public float dot(int r, float[] x, int xOff) {
        return dot(cache.slots(), cache.peek(r), r, x, xOff);
    }

    /** Rows one {@link #readWindow} reads at most (0: this table's cache cannot read windows). */
    public int streamRows() {
        return cache.windowRecords();
    }

    /** Rows [first, first + n) read as one window (see {@link RecordCache#readWindow}); row first + i at i * record. */
    public MemorySegment readWindow(int first, int n) {
        return cache.readWindow(first, n);
    }

    /** row r . x, its stored bytes at off in block (from {@link #readWindow}). */
    public float dot(MemorySegment block, long off, int r, float[] x, int xOff) {
        if (precision == RowPrecision.F32) return Kernels.dot(block, off, x, xOff, dim);
        return Int8Kernels.dot(block, off, x, xOff, dim) * scales[r];
    }

    /** Row r as floats into out[off ..]; counted as a hit or a miss. */
    public void row(int r, float[] out, int off) {
        synchronized (cache.lock()) {
            long at = cache.at(r);
            MemorySegment s = cache.slots();
            if (precision == RowPrecision.F32) {
                MemorySegment.copy(s, F, at, out, off, dim);
            } else {
                float scale = scales[r];
                for (int i = 0; i < dim; i++) out[off + i] = s.get(ValueLayout.JAVA_BYTE, at + i) * scale;
            }
        }
    }

    /** What the table holds: its cache and the int8 scales. */
    public long residentBytes() {
        return cache.residentBytes() + (scales == null ? 0 : 4L * scales.length);
    }

    /** Bytes of the whole table in storage (rows and scales). */
    public long storedBytes(boolean withScales) {
        return (long) rows * cache.recordBytes() + (withScales && scales != null ? 4L * rows : 0);
    }
}
