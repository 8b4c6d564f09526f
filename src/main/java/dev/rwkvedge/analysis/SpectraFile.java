package dev.rwkvedge.analysis;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The singular values of a cached analysis in a compact binary file, all little-endian:
 * <pre>
 * "RWSV"  int32 format version  32 bytes model SHA-256  int32 count
 * count times: int32 n, n float32 values
 * int32 CRC-32 of every byte before it
 * </pre>
 * The model hash in the header catches a values file paired with another model's index; the CRC catches truncation
 * and flipped bytes. A file that fails any check is reported with {@link IOException}, never half-read.
 */
final class SpectraFile {
    static final int FORMAT = 1;
    private static final byte[] MAGIC = {'R', 'W', 'S', 'V'};
    private static final int HEADER = 4 + 4 + 32 + 4;

    private SpectraFile() {}

    static byte[] encode(String sha256, List<float[]> values) {
        long size = HEADER + 4;
        for (float[] v : values) size += 4 + 4L * v.length;
        if (size > Integer.MAX_VALUE - 8) throw new IllegalStateException("spectra too large for one file: " + size);
        ByteBuffer bb = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(MAGIC).putInt(FORMAT).put(HexFormat.of().parseHex(sha256)).putInt(values.size());
        for (float[] v : values) {
            bb.putInt(v.length);
            for (float f : v) bb.putFloat(f);
        }
        bb.putInt((int) crc(bb.array(), bb.position()));
        return bb.array();
    }

    static List<float[]> decode(byte[] bytes, String sha256) throws IOException {
        if (bytes.length < HEADER + 4) throw new IOException("values file truncated (" + bytes.length + " bytes)");
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int stored = bb.getInt(bytes.length - 4);
        if (stored != (int) crc(bytes, bytes.length - 4)) throw new IOException("values file checksum mismatch");
        byte[] magic = new byte[4];
        bb.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) throw new IOException("not a spectra values file");
        int format = bb.getInt();
        if (format != FORMAT) throw new IOException("values file format " + format + ", expected " + FORMAT);
        byte[] hash = new byte[32];
        bb.get(hash);
        if (!HexFormat.of().formatHex(hash).equals(sha256)) throw new IOException("values file of another model");
        int count = bb.getInt();
        if (count < 0) throw new IOException("negative matrix count");
        float[][] out = new float[count][];
        for (int i = 0; i < count; i++) {
            int n = bb.remaining() >= 4 ? bb.getInt() : -1;
            if (n < 0 || 4L * n > bb.remaining() - 4) throw new IOException("values file truncated at matrix " + i);
            out[i] = new float[n];
            bb.asFloatBuffer().get(out[i]);
            bb.position(bb.position() + 4 * n);
        }
        if (bb.remaining() != 4) throw new IOException("values file has " + (bb.remaining() - 4) + " stray bytes");
        return List.of(out);
    }

    static long crc(byte[] bytes, int length) {
        CRC32 c = new CRC32();
        c.update(bytes, 0, length);
        return c.getValue();
    }
}
