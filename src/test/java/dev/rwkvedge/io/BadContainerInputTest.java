package dev.rwkvedge.io;

import static dev.rwkvedge.io.Corrupt.read;
import static dev.rwkvedge.io.Corrupt.safetensors;
import static dev.rwkvedge.io.Corrupt.rejects;
import static dev.rwkvedge.io.Corrupt.write;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import dev.rwkvedge.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .pth and safetensors files that lie about themselves, and the deflated .pth we do accept. */
class BadContainerInputTest {
    @TempDir
    Path dir;

    @Test
    void safetensorsHeaderProblems() throws Exception {
        byte[] b = safetensors("{}", 0);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1_000_000);
        b[8] = '{';
        rejects(write(dir, "len.safetensors", b), "beyond the file");
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        rejects(write(dir, "len40.safetensors", b), "beyond the file");
        rejects(write(dir, "json.safetensors", safetensors("{\"a\": ", 0)), "malformed safetensors JSON");
        String t = "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";
        rejects(write(dir, "dup.safetensors", safetensors("{\"a\":" + t + ",\"a\":" + t + "}", 4)), "duplicate name");
    }

    @Test
    void safetensorsTensorProblems() throws Exception {
        rejects(write(dir, "dtype.safetensors", safetensors("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8)),
                "unsupported dtype F64");
        rejects(write(dir, "size.safetensors", safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8)),
                "needs 12 bytes");
        rejects(write(dir, "neg.safetensors", safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4)),
                "invalid dimension '-1'");
        rejects(write(dir, "past.safetensors", safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[100],\"data_offsets\":[0,400]}}", 4)),
                "truncated tensor data");
        rejects(write(dir, "ovf.safetensors",
                safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4294967296],\"data_offsets\":[0,4]}}", 4)), "overflow");
        byte[] real = read(Reference.file(Tensors.BLINKDL + "tiny-rwkv-7v0-834K-f32.safetensors"));
        rejects(write(dir, "cut.safetensors", Corrupt.truncate(real, real.length - 10)), "truncated tensor data");
    }

    @Test
    void truncatedPth() throws Exception {
        byte[] b = read(Reference.file(Tensors.BLINKDL + "tiny-rwkv-7v0-834K-f32.pth"));
        rejects(write(dir, "half.pth", Corrupt.truncate(b, b.length / 2)), "no end-of-central-directory record");
    }

    @Test
    void pthPickleProblems() throws Exception {
        rejects(write(dir, "op.pth", zipOf("archive/data.pkl", new byte[] {(byte) 0x80, 2, 'd', '.'})), "unsupported pickle opcode 0x64");
        rejects(write(dir, "empty.pth", zipOf("archive/data.pkl", new byte[] {(byte) 0x80, 2})), "truncated file");
        rejects(write(dir, "nopkl.pth", zipOf("archive/other", new byte[] {1})), "no data.pkl");
        byte[] b = read(Reference.file(Tensors.BLINKDL + "tiny-rwkv-7v0-834K-f32.pth"));
        Corrupt.replace(b, "FloatStorage", "ShortStorage");
        rejects(write(dir, "storage.pth", Corrupt.resealed(b)), "unsupported tensor storage type torch.ShortStorage");
        b = read(Reference.file("RWKV-LM/RWKV-v8/260123_reverse_L2_only_rwkv7.pth"));
        Corrupt.replace(b, "little", "big\n\n\n");
        rejects(write(dir, "big.pth", Corrupt.resealed(b)), "byte order 'big' is not supported");
        b = read(Reference.file(Tensors.BLINKDL + "tiny-rwkv-7v0-834K-f32.pth"));
        Corrupt.replace(b, "_rebuild_tensor_v2", "_rebuild_tensor_v9");
        rejects(write(dir, "call.pth", Corrupt.resealed(b)), "unsupported torch._utils._rebuild_tensor_v9");
    }

    /** A (2, 3) tensor whose pickled strides are patched from (3, 1) to (1, 2): a transposed view. */
    @Test
    void nonContiguousPthTensor() throws Exception {
        Path ok = dir.resolve("ok.pth");
        PthWriter.write(ok, Map.of("m", Tensor.ofFloats("m", new float[6], 2, 3)));
        byte[] b = read(ok);
        int at = Corrupt.find(b, new byte[] {'(', 'K', 3, 'K', 1, 't'});
        b[at + 2] = 1;
        b[at + 4] = 2;
        rejects(write(dir, "strided.pth", Corrupt.resealed(b)), "not C-contiguous");
    }

    /** Deflated entries are inflated onto the heap: the tensors equal the stored original. */
    @Test
    void deflatedPthIsInflated() throws Exception {
        Path src = Reference.file(Tensors.BLINKDL + "tiny-rwkv-5v2-730K-f32.pth");
        Path deflated = dir.resolve("deflated.pth");
        try (ZipFile in = new ZipFile(src.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(deflated))) {
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                out.putNextEntry(new ZipEntry(entry.getName()));
                out.write(in.getInputStream(entry).readAllBytes());
                out.closeEntry();
            }
        }
        try (Checkpoint a = Checkpoints.open(src); Checkpoint b = Checkpoints.open(deflated)) {
            WriterRoundTripTest.assertIdentical(a.tensors(), b.tensors());
            assertTrue(Files.size(deflated) < Files.size(src));
        }
    }

    private static byte[] zipOf(String name, byte[] content) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            out.putNextEntry(new ZipEntry(name));
            out.write(content);
            out.closeEntry();
        }
        return bytes.toByteArray();
    }
}
