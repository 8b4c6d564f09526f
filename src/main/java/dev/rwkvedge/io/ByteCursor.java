package dev.rwkvedge.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Bounds-checked little-endian reads over a mapped file: every read first checks the bytes exist, so a short or
 * lying file ends in a {@link ModelFormatException} instead of an IndexOutOfBoundsException or a huge allocation.
 */
final class ByteCursor {
    /** Names, strings and headers are copied to the heap; a claim beyond this is a corrupt length, not a model. */
    static final long MAX_HEAP_COPY = 128L << 20;
    private final Path file;
    private final MemorySegment seg;
    private long pos;

    ByteCursor(Path file, MemorySegment seg, long pos) {
        this.file = file;
        this.seg = seg;
        this.pos = pos;
    }

    Path file() {
        return file;
    }

    MemorySegment segment() {
        return seg;
    }

    long position() {
        return pos;
    }

    void seek(long p) throws ModelFormatException {
        if (p < 0 || p > seg.byteSize()) throw fail("offset " + p + " lies outside the file (" + seg.byteSize() + " bytes)");
        pos = p;
    }

    long remaining() {
        return seg.byteSize() - pos;
    }

    ModelFormatException fail(String problem) {
        return new ModelFormatException(file, problem);
    }

    private void need(long n, String what) throws ModelFormatException {
        if (n < 0 || n > remaining()) {
            throw fail("truncated file: " + what + " needs " + n + " bytes at offset " + pos + " but the file has "
                    + seg.byteSize() + " bytes");
        }
    }

    int u8(String what) throws ModelFormatException {
        need(1, what);
        return seg.get(ValueLayout.JAVA_BYTE, pos++) & 0xff;
    }

    int u16(String what) throws ModelFormatException {
        need(2, what);
        int v = seg.get(ValueLayout.JAVA_SHORT_UNALIGNED, pos) & 0xffff;
        pos += 2;
        return v;
    }

    int i32(String what) throws ModelFormatException {
        need(4, what);
        int v = seg.get(ValueLayout.JAVA_INT_UNALIGNED, pos);
        pos += 4;
        return v;
    }

    long u32(String what) throws ModelFormatException {
        return i32(what) & 0xffffffffL;
    }

    long i64(String what) throws ModelFormatException {
        need(8, what);
        long v = seg.get(ValueLayout.JAVA_LONG_UNALIGNED, pos);
        pos += 8;
        return v;
    }

    /** An unsigned 64-bit count or size that must fit the file; anything larger is a lie about the file. */
    long size64(String what) throws ModelFormatException {
        long v = i64(what);
        if (v < 0 || v > seg.byteSize()) throw fail(what + " " + Long.toUnsignedString(v) + " exceeds the file size " + seg.byteSize());
        return v;
    }

    float f32(String what) throws ModelFormatException {
        return Float.intBitsToFloat(i32(what));
    }

    double f64(String what) throws ModelFormatException {
        return Double.longBitsToDouble(i64(what));
    }

    byte[] bytes(long n, String what) throws ModelFormatException {
        need(n, what);
        if (n > MAX_HEAP_COPY) throw fail(what + " of " + n + " bytes is implausibly large");
        byte[] out = seg.asSlice(pos, n).toArray(ValueLayout.JAVA_BYTE);
        pos += n;
        return out;
    }

    String utf8(long n, String what) throws ModelFormatException {
        return new String(bytes(n, what), StandardCharsets.UTF_8);
    }

    MemorySegment slice(long n, String what) throws ModelFormatException {
        need(n, what);
        MemorySegment s = seg.asSlice(pos, n);
        pos += n;
        return s;
    }
}
