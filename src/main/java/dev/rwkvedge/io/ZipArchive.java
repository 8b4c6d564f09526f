package dev.rwkvedge.io;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The entries of a zip archive found through its central directory (with zip64 sizes and offsets, which torch.save
 * writes for big files). Stored entries are slices of the mapping; deflated ones are inflated onto the heap.
 */
final class ZipArchive {
    private static final int EOCD = 0x06054b50;
    private static final int EOCD64 = 0x06064b50;
    private static final int EOCD64_LOCATOR = 0x07064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;

    record Entry(String name, int method, long compressedSize, long size, long localHeader) {}

    private final ByteCursor in;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private ZipArchive(ByteCursor in) {
        this.in = in;
    }

    Map<String, Entry> entries() {
        return entries;
    }

    static ZipArchive open(Path file, MemorySegment seg) throws ModelFormatException {
        ZipArchive z = new ZipArchive(new ByteCursor(file, seg, 0));
        z.readDirectory();
        return z;
    }

    private void readDirectory() throws ModelFormatException {
        long size = in.segment().byteSize();
        long eocd = -1;
        for (long p = size - 22; p >= Math.max(0, size - 22 - 65535); p--) {
            in.seek(p);
            if (in.i32("zip end record") == EOCD) {
                eocd = p;
                break;
            }
        }
        if (eocd < 0) throw in.fail("truncated zip archive: no end-of-central-directory record");
        in.seek(eocd + 10);
        long count = in.u16("zip end record");
        long dirSize = in.u32("zip end record");
        long dirOffset = in.u32("zip end record");
        if (eocd >= 20) {
            in.seek(eocd - 20);
            if (in.i32("zip64 locator") == EOCD64_LOCATOR) {
                in.seek(eocd - 12);
                in.seek(in.size64("zip64 end record offset"));
                if (in.i32("zip64 end record") != EOCD64) throw in.fail("broken zip64 end record");
                in.seek(in.position() + 20);
                in.size64("zip64 entry count on disk");
                count = in.size64("zip64 entry count");
                dirSize = in.size64("zip64 central directory size");
                dirOffset = in.size64("zip64 central directory offset");
            }
        }
        if (count * 46 > size || dirOffset + dirSize > size) {
            throw in.fail("zip directory claims " + count + " entries / " + dirSize + " bytes, more than the file holds");
        }
        in.seek(dirOffset);
        for (long i = 0; i < count; i++) readCentralEntry();
    }

    private void readCentralEntry() throws ModelFormatException {
        if (in.i32("zip central directory") != CENTRAL) throw in.fail("corrupt zip central directory at offset " + (in.position() - 4));
        in.seek(in.position() + 6);
        int method = in.u16("zip entry");
        in.seek(in.position() + 8);
        long csize = in.u32("zip entry");
        long usize = in.u32("zip entry");
        int nameLen = in.u16("zip entry");
        int extraLen = in.u16("zip entry");
        int commentLen = in.u16("zip entry");
        in.seek(in.position() + 8);
        long local = in.u32("zip entry");
        String name = in.utf8(nameLen, "zip entry name");
        long extraEnd = in.position() + extraLen;
        while (in.position() + 4 <= extraEnd) {
            int id = in.u16("zip extra field");
            int len = in.u16("zip extra field");
            long next = in.position() + len;
            if (id == 1) {
                if (usize == 0xffffffffL) usize = in.size64("zip64 size");
                if (csize == 0xffffffffL) csize = in.size64("zip64 compressed size");
                if (local == 0xffffffffL) local = in.size64("zip64 offset");
            }
            in.seek(next);
        }
        in.seek(extraEnd + commentLen);
        if (entries.put(name, new Entry(name, method, csize, usize, local)) != null) throw in.fail("duplicate zip entry " + name);
    }

    /** The entry's bytes: a view of the file when stored, a heap copy when deflated. */
    MemorySegment data(Entry e) throws ModelFormatException {
        in.seek(e.localHeader());
        if (in.i32("zip local header of " + e.name()) != LOCAL) throw in.fail("corrupt zip local header for " + e.name());
        in.seek(e.localHeader() + 26);
        int nameLen = in.u16("zip local header");
        int extraLen = in.u16("zip local header");
        in.seek(in.position() + nameLen + extraLen);
        if (e.method() == 0) {
            if (e.size() != e.compressedSize()) throw in.fail("zip entry " + e.name() + " has inconsistent sizes");
            return in.slice(e.size(), "zip entry " + e.name());
        }
        if (e.method() != 8) throw in.fail("zip entry " + e.name() + " uses compression method " + e.method() + " (only stored and deflated are supported)");
        if (e.size() > Integer.MAX_VALUE - 8) throw in.fail("deflated zip entry " + e.name() + " is too large to inflate (" + e.size() + " bytes)");
        MemorySegment packed = in.slice(e.compressedSize(), "zip entry " + e.name());
        byte[] out = new byte[(int) e.size()];
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(packed.asByteBuffer());
            int n = 0;
            while (n < out.length && !inf.finished()) {
                int k = inf.inflate(out, n, out.length - n);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) break;
                n += k;
            }
            if (n != out.length) throw in.fail("deflated zip entry " + e.name() + " inflates to " + n + " bytes, not " + out.length);
        } catch (DataFormatException ex) {
            throw in.fail("corrupt deflated zip entry " + e.name() + ": " + ex.getMessage());
        } finally {
            inf.end();
        }
        return MemorySegment.ofArray(out);
    }
}
