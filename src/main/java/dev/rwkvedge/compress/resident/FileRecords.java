package dev.rwkvedge.compress.resident;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Records in a region of a file, read with positional reads (pread), never through a mapping: the kernel's page
 * cache may keep what was read, but the process holds only the bytes its caches copied out, so touched rows do not
 * pile up in its resident set the way pages of a whole-file mapping do.
 */
public final class FileRecords implements RecordSource {
    private static final Cleaner CLEANER = Cleaner.create();

    private final Path path;
    private final FileChannel channel;
    private final long offset;
    private final int recordBytes, records;

    public FileRecords(Path path, long offset, int recordBytes, int records) throws IOException {
        this.path = path;
        this.offset = offset;
        this.recordBytes = recordBytes;
        this.records = records;
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        if (ch.size() < offset + (long) recordBytes * records) {
            ch.close();
            throw new IOException(path + ": " + records + " records of " + recordBytes + " bytes at " + offset
                    + " run past the end of the file");
        }
        this.channel = ch;
        CLEANER.register(this, () -> {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do: the file was only read
            }
        });
    }

    @Override
    public int recordBytes() {
        return recordBytes;
    }

    @Override
    public int records() {
        return records;
    }

    @Override
    public void read(int first, int count, MemorySegment dst, long dstOffset) {
        // a view of the whole destination, not of a slice: one object per read instead of two (holding on to the
        // view between reads would keep a one-off destination, such as an export's whole table, alive)
        int at = Math.toIntExact(dstOffset);
        ByteBuffer buf = dst.asByteBuffer().position(at).limit(Math.toIntExact(at + (long) count * recordBytes));
        long pos = offset + (long) first * recordBytes;
        try {
            while (buf.hasRemaining()) {
                int n = channel.read(buf, pos);
                if (n < 0) throw new IOException("unexpected end of file");
                pos += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": reading records " + first + ".." + (first + count) + ": "
                    + e.getMessage(), e);
        }
    }
}
