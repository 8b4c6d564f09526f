package dev.rwkvedge.compress.sparse;

import dev.rwkvedge.compress.resident.Int8Kernels;
import dev.rwkvedge.compress.resident.MemoryRecords;
import dev.rwkvedge.compress.resident.RecordCache;
import dev.rwkvedge.compress.resident.RecordSource;
import dev.rwkvedge.compress.resident.RowPrecision;
import dev.rwkvedge.runtime.Int8Projection;
import dev.rwkvedge.runtime.Kernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * K and V stored by neuron ("row-column bundling", as in "LLM in a flash"): neuron j is one record [k_j, v_j] in
 * storage, read on demand through a bounded {@link RecordCache}, in its stored precision: float32 (8C bytes), or
 * int8 (k_j and v_j as bytes, then k_j's scale: 2C + 4 bytes) with V's per-channel scales held by the mix. int8
 * values and scales are exactly those of {@link Int8Projection#quantize} of K and of V, so a bundle computes what
 * the int8 dense matrices compute.
 */
final class NeuronBundle {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private final RowPrecision precision;
    private final int width, neurons;
    /** int8: V's scale per output channel; null for float32. */
    private final float[] valueScales;
    private final RecordCache cache;

    NeuronBundle(RowPrecision precision, int width, float[] valueScales, RecordSource source, int cacheNeurons) {
        this(precision, width, valueScales, new RecordCache(source, cacheNeurons));
    }

    private NeuronBundle(RowPrecision precision, int width, float[] valueScales, RecordCache cache) {
        RecordSource source = cache.source();
        if (source.recordBytes() != recordBytes(precision, width)) {
            throw new IllegalArgumentException("neuron records of " + source.recordBytes() + " bytes are not " + precision
                    + " bundles of width " + width);
        }
        if ((precision == RowPrecision.INT8) != (valueScales != null) || valueScales != null && valueScales.length != width) {
            throw new IllegalArgumentException("int8 bundles need one value scale per channel, float32 ones none");
        }
        this.precision = precision;
        this.width = width;
        this.neurons = source.records();
        this.valueScales = valueScales;
        this.cache = cache;
    }

    static int recordBytes(RowPrecision p, int width) {
        return p == RowPrecision.F32 ? 8 * width : 2 * width + 4;
    }

    /** From K (neurons x width) and V (width x neurons), both row-major, kept as float32 with every neuron cached. */
    static NeuronBundle of(float[] k, float[] v, int width, int neurons) {
        if (k.length != width * neurons || v.length != width * neurons) {
            throw new IllegalArgumentException("K and V do not match " + neurons + " neurons of width " + width);
        }
        MemorySegment seg = Arena.ofAuto().allocate(8L * width * neurons, 64);
        float[] block = new float[2 * width];
        for (int j = 0; j < neurons; j++) {
            System.arraycopy(k, j * width, block, 0, width);
            for (int c = 0; c < width; c++) block[width + c] = v[c * neurons + j];
            MemorySegment.copy(block, 0, seg, F, j * 8L * width, block.length);
        }
        return new NeuronBundle(RowPrecision.F32, width, null, new MemoryRecords(seg, 8 * width, neurons), neurons);
    }

    /** From int8 K (neurons x width) and V (width x neurons), every neuron cached. */
    static NeuronBundle of(Int8Projection k, Int8Projection v) {
        int C = k.inDim(), Fn = k.outDim();
        int rb = recordBytes(RowPrecision.INT8, C);
        MemorySegment seg = Arena.ofAuto().allocate((long) rb * Fn, 64);
        MemorySegment kq = k.values(), vq = v.values();
        float[] ks = k.scales();
        for (int j = 0; j < Fn; j++) {
            long o = (long) j * rb;
            MemorySegment.copy(kq, (long) j * C, seg, o, C);
            for (int c = 0; c < C; c++) seg.set(ValueLayout.JAVA_BYTE, o + C + c, vq.get(ValueLayout.JAVA_BYTE, (long) c * Fn + j));
            seg.set(F, o + 2L * C, ks[j]);
        }
        return new NeuronBundle(RowPrecision.INT8, C, v.scales(), new MemoryRecords(seg, rb, Fn), Fn);
    }

    /** The same neurons behind a cache of another size (counters start at zero). */
    NeuronBundle withCache(int cacheNeurons) {
        return new NeuronBundle(precision, width, valueScales, cache.source(), cacheNeurons);
    }

    /** The same neurons behind another cache over them (one of a group sharing its memory, {@link RecordCache#sharing}). */
    NeuronBundle withCache(RecordCache other) {
        if (other.source() != cache.source()) throw new IllegalArgumentException("a cache over other neurons");
        return new NeuronBundle(precision, width, valueScales, other);
    }

    /** These neurons in int8, quantized as int8 dense K and V would be. */
    NeuronBundle toInt8() {
        if (precision == RowPrecision.INT8) return this;
        float[] k = keys(), v = values();
        return of(Int8Projection.quantize(k, neurons, width), Int8Projection.quantize(v, width, neurons))
                .withCache(cache.capacity());
    }

    RowPrecision precision() {
        return precision;
    }

    int width() {
        return width;
    }

    int neurons() {
        return neurons;
    }

    RecordCache cache() {
        return cache;
    }

    float[] valueScales() {
        return valueScales == null ? null : valueScales.clone();
    }

    /** Every record's bytes in neuron order, read from storage (for an exporter; not through the cache). */
    MemorySegment storedBytes() {
        MemorySegment all = Arena.ofAuto().allocate((long) neurons * cache.recordBytes(), 64);
        cache.source().read(0, neurons, all, 0);
        return all;
    }

    /** K dequantized, neurons x width (for the 1-bit predictor and conversions, not the hot path). */
    float[] keys() {
        MemorySegment all = storedBytes();
        float[] k = new float[neurons * width];
        int rb = cache.recordBytes();
        for (int j = 0; j < neurons; j++) {
            long o = (long) j * rb;
            if (precision == RowPrecision.F32) {
                MemorySegment.copy(all, F, o, k, j * width, width);
            } else {
                float s = all.get(F, o + 2L * width);
                for (int c = 0; c < width; c++) k[j * width + c] = all.get(ValueLayout.JAVA_BYTE, o + c) * s;
            }
        }
        return k;
    }

    /** V dequantized, width x neurons. */
    float[] values() {
        MemorySegment all = storedBytes();
        float[] v = new float[neurons * width];
        int rb = cache.recordBytes();
        for (int j = 0; j < neurons; j++) {
            long o = (long) j * rb + (precision == RowPrecision.F32 ? 4L * width : width);
            for (int c = 0; c < width; c++) {
                v[c * neurons + j] = precision == RowPrecision.F32 ? all.get(F, o + 4L * c)
                        : all.get(ValueLayout.JAVA_BYTE, o + c) * valueScales[c];
            }
        }
        return v;
    }

    /**
     * relu(k_j . x)^2 for the neuron whose record starts at {@code off} in {@code s} (the cache's slots or a block
     * read past it): the same dot, in the same order, as the dense (float32 or int8) key projection.
     */
    float activation(MemorySegment s, long off, float[] x, int xOff) {
        float a = precision == RowPrecision.F32 ? Kernels.dot(s, off, x, xOff, width)
                : Int8Kernels.dot(s, off, x, xOff, width) * s.get(F, off + 2L * width);
        a = Math.max(a, 0f);
        return a * a;
    }

    /** acc[accOff + i] = fma(v_j[from + i], h, acc[accOff + i]) for i < len: one vector lane of the dense V dot. */
    void addValueFused(MemorySegment s, long off, float h, float[] acc, int accOff, int from, int len) {
        if (precision == RowPrecision.F32) Kernels.axpy(h, s, off + 4L * (width + from), acc, accOff, len);
        else Int8Kernels.axpy(h, s, off + width + from, acc, accOff, len);
    }

    /** acc[accOff + i] += v_j[from + i] * h, not fused: the dense dot's scalar tail. */
    void addValuePlain(MemorySegment s, long off, float h, float[] acc, int accOff, int from, int len) {
        for (int i = 0; i < len; i++) {
            float v = precision == RowPrecision.F32 ? s.get(F, off + 4L * (width + from + i))
                    : s.get(ValueLayout.JAVA_BYTE, off + width + from + i);
            acc[accOff + i] += v * h;
        }
    }

    /** The int8 V scale of channel c (1 for float32, which the caller skips). */
    float valueScale(int c) {
        return valueScales[c];
    }

    /** The cache, and V's scales for int8. */
    long residentBytes() {
        return cache.residentBytes() + (valueScales == null ? 0 : 4L * width);
    }

    /** The whole table in storage. */
    long storedByteCount() {
        return (long) neurons * cache.recordBytes() + (valueScales == null ? 0 : 4L * width);
    }
}
