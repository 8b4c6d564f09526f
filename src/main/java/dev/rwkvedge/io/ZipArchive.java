package dev.rwkvedge.io;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The entries of a zip archive found through its central directory (with zip64 sizes and offsets, which torch.save
 * writes for big files). Stored entries are slices of the mapping; deflated ones are inflated onto the heap. Every
 * entry read is checked against its local header and its CRC-32, so damaged weights cannot load silently.
 */
final class ZipArchive {
    private static final int EOCD = 0x06054b50;
    private static final int EOCD64 = 0x06064b50;
    private static final int EOCD64_LOCATOR = 0x07064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;

    /** Deflate cannot compress better than about 1032 to 1; a larger claim is a lie (or a bomb), not data. */
    private static final long MAX_DEFLATE_RATIO = 1032;
    /**
     * Weights barely compress (float noise), so a large entry that claims to inflate more than this is a deflate bomb,
     * not a checkpoint; small entries (pickles, all-zero vectors) may compress as well as deflate allows.
     */
    private static final long MAX_LARGE_RATIO = 64;
    private static final long LARGE_ENTRY = 16L << 20;
    /** Inflating grows its buffer as output arrives, never to a size the file merely claims. */
    private static final int INFLATE_CHUNK = 1 << 20;
    /** Bit 3: sizes and CRC follow the data in a descriptor; the local header holds zeros (Java's ZipOutputStream). */
    private static final int DATA_DESCRIPTOR = 1 << 3;

    record Entry(String name, int flags, int method, long crc, long compressedSize, long size, long localHeader) {}

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
        in.seek(in.position() + 4);
        int flags = in.u16("zip entry");
        int method = in.u16("zip entry");
        in.seek(in.position() + 4);
        long crc = in.u32("zip entry");
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
        if (entries.put(name, new Entry(name, flags, method, crc, csize, usize, local)) != null) {
            throw in.fail("duplicate zip entry " + name);
        }
    }

    /**
     * The entry's bytes, at most {@code max} of them: a view of the file when stored, a heap copy when deflated. The
     * local header must agree with the central directory and the bytes with the recorded CRC-32.
     */
    MemorySegment data(Entry e, long max) throws ModelFormatException {
        String what = "zip entry " + e.name();
        in.seek(e.localHeader());
        if (in.i32("zip local header of " + e.name()) != LOCAL) throw in.fail("corrupt zip local header for " + e.name());
        in.seek(e.localHeader() + 6);
        int flags = in.u16("zip local header");
        int method = in.u16("zip local header");
        in.seek(in.position() + 4);
        long crc = in.u32("zip local header");
        long csize = in.u32("zip local header");
        long usize = in.u32("zip local header");
        int nameLen = in.u16("zip local header");
        int extraLen = in.u16("zip local header");
        String name = in.utf8(nameLen, "zip local header name");
        if (!name.equals(e.name()) || method != e.method() || (flags & DATA_DESCRIPTOR) != (e.flags() & DATA_DESCRIPTOR)) {
            throw in.fail("zip local header of " + e.name() + " disagrees with the central directory (name, method or flags)");
        }
        if ((flags & DATA_DESCRIPTOR) == 0 && (crc != e.crc() || !sameSize(csize, e.compressedSize()) || !sameSize(usize, e.size()))) {
            throw in.fail("zip local header of " + e.name() + " disagrees with the central directory (sizes or CRC)");
        }
        in.seek(in.position() + extraLen);
        if (e.method() == 0) {
            if (e.size() != e.compressedSize()) throw in.fail(what + " has inconsistent sizes");
            MemorySegment out = in.slice(e.size(), what);
            if (crc32(out) != e.crc()) throw in.fail(what + " fails its CRC-32 check: the data is damaged");
            return out;
        }
        if (e.method() != 8) throw in.fail(what + " uses compression method " + e.method() + " (only stored and deflated are supported)");
        MemorySegment packed = in.slice(e.compressedSize(), what);
        long limit = Math.min(max, Math.min(Integer.MAX_VALUE - 8L, Math.multiplyExact(e.compressedSize() + 1, MAX_DEFLATE_RATIO)));
        if (e.size() > LARGE_ENTRY && e.size() > e.compressedSize() * MAX_LARGE_RATIO) {
            throw in.fail("deflated " + what + " claims " + e.size() + " bytes from " + e.compressedSize() + " compressed: a ratio "
                    + "no model weights reach (a deflate bomb?)");
        }
        if (e.size() > limit) {
            throw in.fail("deflated " + what + " claims " + e.size() + " bytes from " + e.compressedSize() + " compressed, more than "
                    + (limit == max ? "its use needs (" + max + ")" : "deflate can produce"));
        }
        return inflate(e, packed);
    }

    /** Local headers write 0xffffffff when the real size is in the zip64 extra field. */
    private static boolean sameSize(long local, long central) {
        return local == central || local == 0xffffffffL;
    }

    /** Inflates to exactly the declared size, streaming the CRC; one byte more is an error, not a bigger buffer. */
    private MemorySegment inflate(Entry e, MemorySegment packed) throws ModelFormatException {
        int size = (int) e.size();
        byte[] out = new byte[Math.min(size, INFLATE_CHUNK)];
        byte[] probe = new byte[1];
        CRC32 crc = new CRC32();
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(packed.asByteBuffer());
            int n = 0;
            while (!inf.finished()) {
                if (n == size) {
                    if (inf.inflate(probe) > 0) throw in.fail("deflated zip entry " + e.name() + " inflates beyond its declared " + size + " bytes");
                    if (inf.needsInput() || inf.needsDictionary()) break;
                    continue;
                }
                if (n == out.length) out = java.util.Arrays.copyOf(out, (int) Math.min(size, 2L * out.length));
                int k = inf.inflate(out, n, out.length - n);
                crc.update(out, n, k);
                n += k;
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) break;
            }
            if (n != size) throw in.fail("deflated zip entry " + e.name() + " inflates to " + n + " bytes, not the declared " + size);
        } catch (DataFormatException ex) {
            throw in.fail("corrupt deflated zip entry " + e.name() + ": " + ex.getMessage());
        } finally {
            inf.end();
        }
        if (crc.getValue() != e.crc()) throw in.fail("zip entry " + e.name() + " fails its CRC-32 check: the data is damaged");
        return MemorySegment.ofArray(out);
    }

    /** The CRC-32 of mapped bytes, read in place. */
    private static long crc32(MemorySegment s) {
        CRC32 crc = new CRC32();
        for (long at = 0; at < s.byteSize(); at += 1 << 30) crc.update(s.asSlice(at, Math.min(1 << 30, s.byteSize() - at)).asByteBuffer());
        return crc.getValue();
    }
}
