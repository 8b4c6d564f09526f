package dev.rwkvedge.io;

import static dev.rwkvedge.io.Corrupt.le;
import static dev.rwkvedge.io.Corrupt.read;
import static dev.rwkvedge.io.Corrupt.rejects;
import static dev.rwkvedge.io.Corrupt.write;

import dev.rwkvedge.Reference;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rwkv.cpp .bin and GGUF files that lie about themselves. */
class BadBinaryInputTest {
    @TempDir
    Path dir;

    private byte[] bin() throws Exception {
        return read(Reference.file(Tensors.TESTS + "tiny-rwkv-7v0-834K-FP32.bin"));
    }

    private byte[] gguf(String name) throws Exception {
        return read(Reference.file(Tensors.GGUF + name));
    }

    @Test
    void tooShortOrUnknownFiles() throws Exception {
        rejects(write(dir, "empty.bin", new byte[0]), "too short");
        rejects(write(dir, "noise.bin", "hello, this is not a model".getBytes(StandardCharsets.US_ASCII)), "unrecognised format");
    }

    @Test
    void rwkvCppTruncatedHeaderAndData() throws Exception {
        byte[] b = bin();
        rejects(write(dir, "header.bin", Corrupt.truncate(b, 12)), "truncated file");
        rejects(write(dir, "data.bin", Corrupt.truncate(b, b.length - 100)), "truncated tensor data");
    }

    @Test
    void rwkvCppBadVersionAndTypes() throws Exception {
        byte[] b = bin();
        le(b).putInt(4, 99);
        rejects(write(dir, "v99.bin", b), "unsupported rwkv.cpp file version 99");
        byte[] q = read(Reference.file(Tensors.TESTS + "tiny-rwkv-7v0-834K-Q5_0.bin"));
        le(q).putInt(4, 100);
        rejects(write(dir, "q100.bin", q), "version-100");
        b = bin();
        le(b).putInt(32, 4);
        rejects(write(dir, "t4.bin", b), "removed ggml type 4");
        le(b).putInt(32, 12);
        rejects(write(dir, "t12.bin", b), "unknown type code 12");
    }

    @Test
    void rwkvCppBadDimsAndNames() throws Exception {
        byte[] b = bin();
        le(b).putInt(24, 7);
        rejects(write(dir, "dims.bin", b), "7 dims");
        b = bin();
        le(b).putInt(36, -5);
        rejects(write(dir, "neg.bin", b), "dimension -5");
        b = bin();
        le(b).putInt(28, 1 << 30);
        rejects(write(dir, "name.bin", b), "name length");
        rejects(write(dir, "overflow.bin", record(3, 0x7fffffff, 0x7fffffff, 0x7fffffff)), "overflow");
        rejects(write(dir, "huge.bin", record(2, 100000, 100000)), "truncated tensor data");
        rejects(write(dir, "dup.bin", concat(record(1, 1), one("a"), one("a"))), "duplicate tensor name a");
    }

    /** x_rwkvag stored as [C, 2, 3] instead of [C, 1, 6]: the same byte count, but not six mixes. */
    @Test
    void rwkvCppShapeMismatch() throws Exception {
        byte[] b = bin();
        int name = Corrupt.find(b, "blocks.0.att.x_rwkvag");
        le(b).putInt(name - 8, 2).putInt(name - 4, 3);
        rejects(write(dir, "shape.bin", b), "shape mismatch");
    }

    /** An rwkv.cpp header plus one F32 record named x with the given dims and no data. */
    private static byte[] record(int nDims, int... dims) {
        ByteBuffer bb = ByteBuffer.allocate(24 + 12 + 4 * nDims + 1).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(RwkvCppFile.MAGIC).putInt(101).putInt(256).putInt(64).putInt(1).putInt(0);
        bb.putInt(nDims).putInt(1).putInt(0);
        for (int d : dims) bb.putInt(d);
        bb.put((byte) 'x');
        return bb.array();
    }

    private static byte[] one(String name) {
        ByteBuffer bb = ByteBuffer.allocate(12 + 4 + name.length() + 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(1).putInt(name.length()).putInt(0).putInt(1).put(name.getBytes(StandardCharsets.US_ASCII)).putFloat(1f);
        return bb.array();
    }

    private static byte[] concat(byte[] headerRecord, byte[]... records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(headerRecord, 0, 24);
        for (byte[] r : records) out.writeBytes(r);
        return out.toByteArray();
    }

    @Test
    void ggufAbsurdCountsAndVersion() throws Exception {
        byte[] b = gguf("tiny-rwkv-7v0-834K-F32.gguf");
        le(b).putLong(8, 1L << 40);
        rejects(write(dir, "tensors.gguf", b), "absurd tensor count 1099511627776");
        b = gguf("tiny-rwkv-7v0-834K-F32.gguf");
        le(b).putLong(16, 1L << 40);
        rejects(write(dir, "kvs.gguf", b), "absurd key/value count");
        b = gguf("tiny-rwkv-7v0-834K-F32.gguf");
        le(b).putInt(4, 1);
        rejects(write(dir, "v1.gguf", b), "unsupported GGUF version 1");
        b = gguf("tiny-rwkv-7v0-834K-F32.gguf");
        le(b).putLong(24, 1L << 50);
        rejects(write(dir, "key.gguf", b), "truncated file");
    }

    @Test
    void ggufTruncated() throws Exception {
        byte[] b = gguf("tiny-rwkv-7v0-834K-F32.gguf");
        rejects(write(dir, "meta.gguf", Corrupt.truncate(b, 20000)), "truncated file");
        rejects(write(dir, "data.gguf", Corrupt.truncate(b, b.length - 1000)), "truncated tensor data");
    }

    @Test
    void ggufUnsupportedModels() throws Exception {
        byte[] b = gguf("tiny-rwkv-7v0-834K-F32.gguf");
        Corrupt.replace(b, "rwkv7", "llama");
        rejects(write(dir, "llama.gguf", b), "architecture 'llama' is not supported");
        b = gguf("tiny-rwkv-6v0-3m-Q5_1-dequant-Q8_0.gguf");
        int at = Corrupt.find(b, "rwkv6.rescale_every_n_layers") + "rwkv6.rescale_every_n_layers".length();
        le(b).putInt(at + 4, 6);
        rejects(write(dir, "rescale.gguf", b), "rescale_every_n_layers = 6");
    }

    @Test
    void ggufBadTensorInfos() throws Exception {
        rejects(write(dir, "type.gguf", tinyGguf("a", 99, 0, 32)), "unsupported ggml type 99");
        rejects(write(dir, "neg.gguf", tinyGguf("a", 0, 0, -4)), "negative dimension");
        rejects(write(dir, "ovf.gguf", tinyGguf("a", 0, 0, 1L << 40, 1L << 40)), "overflow");
        rejects(write(dir, "off.gguf", tinyGguf("a", 0, 1 << 20, 8)), "a gap between tensors");
        rejects(write(dir, "align.gguf", tinyGguf("a", 0, 3, 8)), "misaligned offset 3");
        rejects(write(dir, "dup.gguf", tinyGguf("a", 0, 0, 8, -1, 0, 0, 8)), "duplicate tensor name a");
    }

    /**
     * A GGUF v3 with general.architecture = rwkv7 and tensor infos named {@code name}: each group of (type, offset,
     * ne...) up to a -1 separator is one tensor; 64 bytes of data follow.
     */
    private static byte[] tinyGguf(String name, long... spec) {
        ByteBuffer bb = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        int tensors = 1;
        for (long s : spec) if (s == -1) tensors++;
        bb.putInt(GgufFile.MAGIC).putInt(3).putLong(tensors).putLong(1);
        str(bb, "general.architecture");
        bb.putInt(GgufFile.T_STRING);
        str(bb, "rwkv7");
        int i = 0;
        while (i < spec.length) {
            int end = i;
            while (end < spec.length && spec[end] != -1) end++;
            str(bb, name);
            bb.putInt(end - i - 2);
            for (int d = i + 2; d < end; d++) bb.putLong(spec[d]);
            bb.putInt((int) spec[i]).putLong(spec[i + 1]);
            i = end + 1;
        }
        while (bb.position() % 32 != 0) bb.put((byte) 0);
        bb.position(bb.position() + 64);
        byte[] out = new byte[bb.position()];
        bb.flip().get(out);
        return out;
    }

    private static void str(ByteBuffer bb, String s) {
        bb.putLong(s.length()).put(s.getBytes(StandardCharsets.US_ASCII));
    }
}
