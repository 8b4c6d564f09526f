package dev.rwkvedge.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/** Buffered little-endian output to a file channel that knows its position (formats align data to it). */
final class FileSink {
    private final FileChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private final MemorySegment bufSeg = MemorySegment.ofBuffer(buf);
    private long flushed;

    FileSink(FileChannel ch) {
        this.ch = ch;
    }

    long position() {
        return flushed + buf.position();
    }

    private void room(int n) throws IOException {
        if (buf.remaining() < n) flush();
    }

    void flush() throws IOException {
        buf.flip();
        while (buf.hasRemaining()) flushed += ch.write(buf);
        buf.clear();
    }

    FileSink u8(int v) throws IOException {
        room(1);
        buf.put((byte) v);
        return this;
    }

    FileSink u16(int v) throws IOException {
        room(2);
        buf.putShort((short) v);
        return this;
    }

    FileSink i32(int v) throws IOException {
        room(4);
        buf.putInt(v);
        return this;
    }

    FileSink i64(long v) throws IOException {
        room(8);
        buf.putLong(v);
        return this;
    }

    FileSink f32(float v) throws IOException {
        room(4);
        buf.putFloat(v);
        return this;
    }

    FileSink bytes(byte[] b) throws IOException {
        return segment(MemorySegment.ofArray(b));
    }

    FileSink utf8(String s) throws IOException {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Copies any segment (mapped, native or a heap array of any primitive type) in buffer-sized pieces. */
    FileSink segment(MemorySegment seg) throws IOException {
        long off = 0;
        long n = seg.byteSize();
        while (off < n) {
            if (!buf.hasRemaining()) flush();
            int k = (int) Math.min(buf.remaining(), n - off);
            MemorySegment.copy(seg, off, bufSeg, buf.position(), k);
            buf.position(buf.position() + k);
            off += k;
        }
        return this;
    }

    FileSink zeros(long n) throws IOException {
        for (long i = 0; i < n; i++) u8(0);
        return this;
    }

    FileSink padTo(long alignment) throws IOException {
        return zeros((alignment - position() % alignment) % alignment);
    }
}
