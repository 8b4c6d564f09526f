package dev.rwkvedge.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes a zip of stored entries the way torch.save does: zero timestamps and each entry's data padded (through the
 * local header's extra field) to a 64-byte file offset, so readers can map storages in place.
 */
final class ZipWriter {
    static final int ALIGNMENT = 64;
    private static final long LIMIT = 0xffffffffL;

    private record Written(byte[] name, long crc, long size, long offset) {}

    private final FileSink out;
    private final List<Written> written = new ArrayList<>();

    ZipWriter(FileSink out) {
        this.out = out;
    }

    void entry(String name, MemorySegment data) throws IOException {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        long offset = out.position();
        long size = data.byteSize();
        if (offset + size + 30 + n.length + ALIGNMENT > LIMIT) {
            throw new IOException("zip entry " + name + " would pass 4 GiB; zip64 output is not supported");
        }
        long crc = crc(data);
        long base = offset + 30 + n.length;
        int pad = base % ALIGNMENT == 0 ? 0 : 4 + (int) ((ALIGNMENT - (base + 4) % ALIGNMENT) % ALIGNMENT);
        out.i32(0x04034b50).u16(20).u16(0).u16(0).u16(0).u16(0).i32((int) crc).i32((int) size).i32((int) size)
                .u16(n.length).u16(pad).bytes(n);
        if (pad > 0) out.u16(0x4646).u16(pad - 4).zeros(pad - 4);
        out.segment(data);
        written.add(new Written(n, crc, size, offset));
    }

    void finish() throws IOException {
        long dir = out.position();
        for (Written w : written) {
            out.i32(0x02014b50).u16(20).u16(20).u16(0).u16(0).u16(0).u16(0).i32((int) w.crc()).i32((int) w.size())
                    .i32((int) w.size()).u16(w.name().length).u16(0).u16(0).u16(0).u16(0).i32(0).i32((int) w.offset())
                    .bytes(w.name());
        }
        long dirSize = out.position() - dir;
        out.i32(0x06054b50).u16(0).u16(0).u16(written.size()).u16(written.size()).i32((int) dirSize).i32((int) dir).u16(0);
    }

    private static long crc(MemorySegment data) {
        CRC32 crc = new CRC32();
        byte[] chunk = new byte[1 << 16];
        for (long off = 0; off < data.byteSize(); off += chunk.length) {
            int k = (int) Math.min(chunk.length, data.byteSize() - off);
            MemorySegment.copy(data, off, MemorySegment.ofArray(chunk), 0, k);
            crc.update(chunk, 0, k);
        }
        return crc.getValue();
    }
}
