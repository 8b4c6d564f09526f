package dev.rwkvedge.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Builds broken model files for the bad-input tests and checks the one exception they must cause. */
final class Corrupt {
    private Corrupt() {}

    static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    static byte[] read(Path p) throws IOException {
        return Files.readAllBytes(p);
    }

    static Path write(Path dir, String name, byte[] b) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, b);
        return p;
    }

    static byte[] truncate(byte[] b, int n) {
        return Arrays.copyOf(b, n);
    }

    /** A safetensors file: the 8-byte header length, the JSON header and {@code dataBytes} zero bytes of data. */
    static byte[] safetensors(String json, int dataBytes) {
        byte[] j = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bb = ByteBuffer.allocate(8 + j.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        bb.putLong(j.length).put(j);
        return bb.array();
    }

    /** Index of the first occurrence of {@code what}, failing the test when absent. */
    static int find(byte[] b, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= b.length; i++) {
            for (int j = 0; j < what.length; j++) if (b[i + j] != what[j]) continue outer;
            return i;
        }
        throw new AssertionError("pattern not found");
    }

    static int find(byte[] b, String ascii) {
        return find(b, ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    static void replace(byte[] b, String from, String to) {
        byte[] t = to.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(t, 0, b, find(b, from), t.length);
    }

    /**
     * Recomputes the CRC-32 of every stored entry of a zip patched in place (same lengths), in the local and the central
     * header, so a test's deliberate change reaches the pickle instead of being caught as damage. Small archives only
     * (no zip64 offsets).
     */
    static byte[] resealed(byte[] zip) {
        ByteBuffer b = le(zip);
        int eocd = zip.length - 22;
        if (b.getInt(eocd) != 0x06054b50) throw new AssertionError("archive has a comment or zip64 directory");
        int count = b.getShort(eocd + 10) & 0xffff;
        int at = b.getInt(eocd + 16);
        for (int i = 0; i < count; i++) {
            if (b.getInt(at) != 0x02014b50) throw new AssertionError("not a central directory entry at " + at);
            int size = b.getInt(at + 20);
            int local = b.getInt(at + 42);
            int data = local + 30 + (b.getShort(local + 26) & 0xffff) + (b.getShort(local + 28) & 0xffff);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(zip, data, size);
            b.putInt(at + 16, (int) crc.getValue());
            b.putInt(local + 14, (int) crc.getValue());
            at += 46 + (b.getShort(at + 28) & 0xffff) + (b.getShort(at + 30) & 0xffff) + (b.getShort(at + 32) & 0xffff);
        }
        return zip;
    }

    /** Opening must fail with one ModelFormatException naming the file and the problem. */
    static ModelFormatException rejects(Path p, String fragment) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Checkpoints.open(p).close());
        assertTrue(e.getMessage().contains(p.toString()), "message does not name the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
        return e;
    }
}
