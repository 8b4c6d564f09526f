package dev.rwkvedge.io;

import static dev.rwkvedge.io.Corrupt.le;
import static dev.rwkvedge.io.Corrupt.read;
import static dev.rwkvedge.io.Corrupt.safetensors;
import static dev.rwkvedge.io.Corrupt.write;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import dev.rwkvedge.model.ConfigDetector;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each defect of issue 12's reader findings, rebuilt as a small file: every one must end in one ModelFormatException
 * naming the file and the problem, on one line of at most 300 characters.
 */
class HostileFileTest {
    @TempDir
    Path dir;

    /** Opening (and building the model, where the defect was in the model's detection) fails cleanly. */
    private static ModelFormatException rejects(Path p, String fragment) {
        ModelFormatException e = org.junit.jupiter.api.Assertions.assertThrows(ModelFormatException.class,
                () -> LoadedModel.open(p).close());
        String m = e.getMessage();
        assertTrue(m.startsWith(p.toString()), "message does not name the file: " + m);
        assertTrue(m.contains(fragment), "expected '" + fragment + "' in: " + m);
        assertTrue(m.length() <= ModelFormatException.MAX_MESSAGE && m.lines().count() == 1, "message too long: " + m.length());
        return e;
    }

    // ---- .pth: zip container

    @Test
    void deflatedEntryClaimingGigabytesIsRejectedBeforeAllocation() throws Exception {
        byte[] zip = zip(Map.of("a/data.pkl", new byte[] {(byte) 0x80, 2, '}', '.'}), true);
        ByteBuffer b = le(zip);
        int central = Corrupt.find(zip, new byte[] {0x50, 0x4b, 0x01, 0x02});
        b.putInt(central + 24, 0x7fff0000); // uncompressed size: 2 GB from a few bytes
        rejects(write(dir, "claims.pth", zip), "claims 2147418112 bytes from");
        byte[] pkl = Pickle.stateDict("w", 6, new long[] {6}, new long[] {1});
        rejects(write(dir, "storage.pth", zip(Map.of("a/data.pkl", pkl, "a/data/0", new byte[1000]), true)),
                "deflated zip entry a/data/0 claims 1000 bytes from");
    }

    @Test
    void deflatedEntryInflatingBeyondItsDeclaredSizeIsRejected() throws Exception {
        byte[] zip = zip(Map.of("a/data.pkl", new byte[4000]), true);
        int central = Corrupt.find(zip, new byte[] {0x50, 0x4b, 0x01, 0x02});
        le(zip).putInt(central + 24, 100);
        rejects(write(dir, "bomb.pth", zip), "inflates beyond its declared 100 bytes");
    }

    @Test
    void damagedTensorDataFailsTheCrc() throws Exception {
        Path ok = dir.resolve("ok.pth");
        PthWriter.write(ok, Map.of("m", Tensor.ofFloats("m", new float[] {1, 2, 3, 4, 5, 6}, 2, 3)));
        byte[] b = read(ok);
        int at = Corrupt.find(b, le(new byte[4]).putFloat(0, 5f).array());
        b[at + 3] ^= 1;
        rejects(write(dir, "flip.pth", b), "fails its CRC-32 check");
    }

    @Test
    void localHeaderDisagreeingWithTheDirectoryIsRejected() throws Exception {
        Path ok = dir.resolve("ok.pth");
        PthWriter.write(ok, Map.of("m", Tensor.ofFloats("m", new float[] {1, 2, 3, 4, 5, 6}, 2, 3)));
        byte[] b = read(ok);
        int local = Corrupt.find(b, "ok/data/0") - 30;
        le(b).putShort(local + 28, (short) (le(b).getShort(local + 28) + 4)); // extra length: the data would be read 4 bytes late
        rejects(write(dir, "extra.pth", b), "fails its CRC-32 check");
        b = read(ok);
        b[Corrupt.find(b, "ok/data/0") + 8] = '1'; // local name data/1, central data/0
        rejects(write(dir, "name.pth", b), "disagrees with the central directory");
    }

    // ---- .pth: pickle

    @Test
    void deeplyNestedPickleIsRejectedWithoutOverflowingTheStack() throws Exception {
        Pickle p = new Pickle().op(0x80, 2);
        for (int i = 0; i < 20_000; i++) p.op(']');
        for (int i = 0; i < 19_999; i++) p.op('a');
        rejects(write(dir, "deep.pth", zip(Map.of("a/data.pkl", p.op('.').bytes()), false)), "nests containers more than 64 deep");
    }

    @Test
    void selfContainingValueIsShownAbbreviated() throws Exception {
        // {'w': L} where L = [L]: printing it in full would never end
        Pickle p = new Pickle().op(0x80, 2, '}', '(').str("w").op(']', 'q', 0, 'h', 0, 'a', 'u', '.');
        rejects(write(dir, "cycle.pth", zip(Map.of("a/data.pkl", p.bytes()), false)), "state dict entry w is not a tensor but (");
        Pickle key = new Pickle().op(0x80, 2, '}', '(', ']', 'q', 0, 'h', 0, 'a').str("v").op('u', '.');
        rejects(write(dir, "key.pth", zip(Map.of("a/data.pkl", key.bytes()), false)), "as a dict key");
    }

    @Test
    void overflowingShapeNamesTheTensor() throws Exception {
        byte[] pkl = Pickle.stateDict("w", 6, new long[] {1L << 62, 4}, new long[] {4, 1});
        ModelFormatException e = rejects(write(dir, "ovf.pth", zip(Map.of("a/data.pkl", pkl, "a/data/0", new byte[24]), false)),
                "tensor w has a size that overflows");
        assertTrue(!e.getMessage().contains("ArithmeticException"), e.getMessage());
    }

    @Test
    void nonContiguousMessageShowsShapesNotArrayIdentities() throws Exception {
        byte[] pkl = Pickle.stateDict("w", 6, new long[] {2, 3}, new long[] {1, 2});
        ModelFormatException e = rejects(write(dir, "view.pth", zip(Map.of("a/data.pkl", pkl, "a/data/0", new byte[24]), false)),
                "not C-contiguous (size [2, 3], stride [1, 2])");
        assertTrue(!e.getMessage().contains("[J@"), e.getMessage());
    }

    // ---- model detection (any format; safetensors here)

    @Test
    void hugeLayerIndexNamesTheFile() throws Exception {
        Map<String, Tensor> t = v7Skeleton();
        t.put("blocks.99999999999.ln1.weight", Tensor.ofFloats("blocks.99999999999.ln1.weight", new float[4], 4));
        SafetensorsWriter.write(dir.resolve("layer.safetensors"), t, Map.of());
        rejects(dir.resolve("layer.safetensors"), "layer index 99999999999");
    }

    @Test
    void rankZeroTensorsAreRejectedNotIndexedOutOfBounds() throws Exception {
        Map<String, Tensor> t = v7Skeleton();
        t.put("blocks.0.ffn.key.weight", Tensor.ofFloats("blocks.0.ffn.key.weight", new float[] {1}));
        SafetensorsWriter.write(dir.resolve("rank0.safetensors"), t, Map.of());
        rejects(dir.resolve("rank0.safetensors"), "tensor blocks.0.ffn.key.weight has shape [], which has no axis 0");
        t = v7Skeleton();
        t.put("blocks.0.att.r_k", Tensor.ofFloats("blocks.0.att.r_k", new float[] {1}));
        SafetensorsWriter.write(dir.resolve("rk.safetensors"), t, Map.of());
        rejects(dir.resolve("rk.safetensors"), "tensor blocks.0.att.r_k has shape []");
    }

    @Test
    void groupNormEpsilonMustBePositive() throws Exception {
        for (String eps : new String[] {"NaN", "-1", "0", "Infinity"}) {
            Path p = dir.resolve("eps" + eps + ".safetensors");
            SafetensorsWriter.write(p, v7Skeleton(), Map.of(ConfigDetector.GROUP_NORM_EPS_KEY, eps));
            rejects(p, "it must be a positive number");
        }
    }

    // ---- safetensors

    @Test
    void safetensorsOffsetsMustTileTheDataSection() throws Exception {
        String a = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
        rejects(write(dir, "short.safetensors", safetensors("{" + a + "}", 9)), "1 bytes after the last tensor");
        rejects(write(dir, "overlap.safetensors", safetensors("{" + a + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8)),
                "overlapping tensors");
        rejects(write(dir, "gap.safetensors", safetensors("{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8)),
                "a gap in the data section");
        // the issue's case: a real header whose last offset is one byte short of the data
        byte[] real = read(Reference.file(Tensors.BLINKDL + "tiny-rwkv-7v0-834K-f32.safetensors"));
        rejects(write(dir, "cut.safetensors", java.util.Arrays.copyOf(real, real.length + 1)), "1 bytes after the last tensor");
    }

    @Test
    void hugeSafetensorsHeaderValuesGiveShortMessages() throws Exception {
        StringBuilder shape = new StringBuilder("[");
        for (int i = 0; i < 300_000; i++) shape.append(i == 0 ? "" : ",").append(1);
        rejects(write(dir, "shape.safetensors", safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":" + shape + "],\"data_offsets\":[0,8]}}", 8)),
                "needs 4 bytes but spans 8");
        rejects(write(dir, "entry.safetensors", safetensors("{\"a\":" + shape + "]}", 0)), "malformed safetensors entry for tensor a");
        byte[] big = safetensors("{}", 0);
        byte[] huge = new byte[(int) SafetensorsReader.MAX_HEADER + 16];
        System.arraycopy(big, 0, huge, 0, big.length);
        le(huge).putLong(0, SafetensorsReader.MAX_HEADER + 1);
        rejects(write(dir, "header.safetensors", huge), "beyond the 16777216 bytes a model header needs");
    }

    // ---- GGUF

    @Test
    void ggufKeyLengthIsCheckedBeforeReading() throws Exception {
        byte[] b = gguf("tiny-rwkv-7v0-834K-F32.gguf");
        le(b).putLong(24, 1_500_000); // the first key's length: within the file, far beyond any key
        rejects(write(dir, "key.gguf", b), "claims 1500000 bytes, more than the 65535 allowed");
    }

    @Test
    void ggufOverlappingTensorsAreRejected() throws Exception {
        byte[] b = gguf("tiny-rwkv-7v0-834K-F32.gguf");
        long first = offsetField(b, "token_embd.weight");
        int second = (int) offsetField(b, "blk.0.attn_norm.weight");
        le(b).putLong(second, le(b).getLong((int) first));
        rejects(write(dir, "overlap.gguf", b), "overlap");
    }

    @Test
    void ggufQuantizedRowsMustBeWholeBlocks() throws Exception {
        byte[] b = read(Reference.file("derived/gguf/tiny-rwkv-7v0-834K-F32-to-Q4_0.gguf"));
        int name = Corrupt.find(b, "blk.0.channel_mix_key.weight");
        int dims = name + "blk.0.channel_mix_key.weight".length();
        ByteBuffer bb = le(b);
        long ne0 = bb.getLong(dims + 4), ne1 = bb.getLong(dims + 12);
        bb.putLong(dims + 4, 16).putLong(dims + 12, ne0 * ne1 / 16); // same size, rows of half a block
        rejects(write(dir, "rows.gguf", b), "tensor blk.0.channel_mix_key.weight has rows of 16 elements, not a whole number of Q4_0 blocks");
    }

    // ---- rwkv.cpp

    @Test
    void rwkvCppHeaderMustMatchTheTensors() throws Exception {
        byte[] ok = read(Reference.file("rwkv.cpp/tests/tiny-rwkv-5v1-730K-Q5_1.bin"));
        String[] fields = {"n_vocab", "n_embed", "n_layer"};
        for (int i = 0; i < 3; i++) {
            byte[] b = ok.clone();
            le(b).putInt(8 + 4 * i, le(b).getInt(8 + 4 * i) + 1);
            rejects(write(dir, fields[i] + ".bin", b), "header says " + (i == 2 ? "n_layer" : "n_vocab"));
        }
    }

    /** Found by the long campaign: n_layer 855638028 took 34 s to reject, counting up to it. */
    @Test
    void hugeRwkvCppLayerCountIsRejectedWithoutCountingToIt() throws Exception {
        byte[] b = read(Reference.file("rwkv.cpp/tests/tiny-rwkv-5v1-730K-Q5_1.bin"));
        le(b).putInt(16, Integer.MAX_VALUE);
        Path p = write(dir, "layers.bin", b);
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                () -> rejects(p, "header says n_layer 2147483647 but the tensors' layers stop earlier"));
    }

    /** Found by the long campaign: one letter of blocks.0.ln0.weight changed, and the model ran without ln0. */
    @Test
    void halfOfAnOptionalPairIsRejected() throws Exception {
        byte[] b = read(Reference.file("rwkv.cpp/tests/tiny-rwkv-5v1-730K-Q5_1.bin"));
        Corrupt.replace(b, "blocks.0.ln0.weight", "blocks.0.l(0.weight");
        rejects(write(dir, "ln0.bin", b), "tensor blocks.0.ln0.bias without blocks.0.ln0.weight");
    }

    // ---- any format: weights damaged into NaN or infinity (no checksum covers tensor data)

    @Test
    void nonFiniteWeightsAreNamedAtTheFirstToken() throws Exception {
        Path real = Reference.file(Tensors.BLINKDL + "tiny-rwkv-7v0-834K-f32.safetensors");
        String[][] cases = {{"blocks.1.att.key.weight", "NaN"}, {"emb.weight", "Infinity"}};
        for (String[] c : cases) {
            byte[] b = read(real);
            float value = Float.parseFloat(c[1]);
            // element 7 of the matrix; for the embedding, token 0's row: a NaN the model reads for token 0 only
            le(b).putFloat((int) (dataOffset(real, c[0]) + 7 * 4), value);
            Path p = write(dir, c[0] + ".safetensors", b);
            try (LoadedModel m = LoadedModel.open(p)) {
                int token = c[0].equals("emb.weight") ? 0 : 1;
                if (token == 0) m.model().forward(1, m.model().newState()); // other rows are healthy: runs
                java.io.UncheckedIOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class,
                        () -> m.model().forward(token, m.model().newState()));
                String msg = e.getCause().getMessage();
                assertTrue(e.getCause() instanceof ModelFormatException, e.toString());
                assertTrue(msg.startsWith(p.toString()), msg);
                assertTrue(msg.contains("tensor " + c[0] + " holds " + c[1] + " at element 7"), msg);
                assertTrue(msg.length() <= ModelFormatException.MAX_MESSAGE && msg.lines().count() == 1, msg);
            }
        }
    }

    /** Where a tensor's bytes start in a safetensors file, from the reader's own parse. */
    private static long dataOffset(Path file, String tensor) throws Exception {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment seg = MappedFile.map(file, arena);
            Tensor t = SafetensorsReader.parse(file, seg).tensors().stream().filter(x -> x.name().equals(tensor))
                    .findFirst().orElseThrow();
            return t.data().address() - seg.address();
        }
    }

    // ---- builders

    /** The offset field of a GGUF tensor info: after the name, n_dims, the dims and the type. */
    private static long offsetField(byte[] b, String tensor) {
        int at = Corrupt.find(b, tensor) + tensor.length();
        int nDims = le(b).getInt(at);
        return at + 4 + 8L * nDims + 4;
    }

    private static byte[] gguf(String name) throws Exception {
        return read(Reference.file(Tensors.GGUF + name));
    }

    /** A v7 model's identifying tensors, enough for detection to reach the shapes under test. */
    private static Map<String, Tensor> v7Skeleton() {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("emb.weight", Tensor.ofFloats("emb.weight", new float[8 * 4], 8, 4));
        t.put("blocks.0.att.r_k", Tensor.ofFloats("blocks.0.att.r_k", new float[4], 1, 4));
        t.put("blocks.0.ffn.key.weight", Tensor.ofFloats("blocks.0.ffn.key.weight", new float[16 * 4], 16, 4));
        for (String lora : new String[] {"w1", "a1", "g1", "v1"}) {
            t.put("blocks.0.att." + lora, Tensor.ofFloats("blocks.0.att." + lora, new float[4 * 2], 4, 2));
        }
        return t;
    }

    private static byte[] zip(Map<String, byte[]> entries, boolean deflate) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(entries).entrySet()) {
                ZipEntry z = new ZipEntry(e.getKey());
                if (!deflate) {
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    z.setMethod(ZipEntry.STORED);
                    z.setSize(e.getValue().length);
                    z.setCrc(crc.getValue());
                } else {
                    out.setLevel(Deflater.BEST_COMPRESSION);
                }
                out.putNextEntry(z);
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Pickle protocol 2 written by hand, for the shapes torch.save never writes. */
    static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int... ops) {
            for (int o : ops) out.write(o);
            return this;
        }

        Pickle str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write('X');
            out.writeBytes(le(new byte[4]).putInt(0, b.length).array());
            out.writeBytes(b);
            return this;
        }

        Pickle integer(long v) {
            out.write(0x8a);
            out.write(8);
            out.writeBytes(le(new byte[8]).putLong(0, v).array());
            return this;
        }

        Pickle global(String module, String name) {
            out.write('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Pickle tuple(long... xs) {
            op('(');
            for (long x : xs) integer(x);
            return op('t');
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        /** {name: _rebuild_tensor_v2(FloatStorage '0' of numel, 0, size, stride)}, as torch.save writes it. */
        static byte[] stateDict(String name, long numel, long[] size, long[] stride) {
            Pickle p = new Pickle().op(0x80, 2, '}', '(').str(name).global("torch._utils", "_rebuild_tensor_v2").op('(', '(')
                    .str("storage").global("torch", "FloatStorage").str("0").str("cpu").integer(numel).op('t', 'Q');
            return p.integer(0).tuple(size).tuple(stride).op('t', 'R', 'u', '.').bytes();
        }
    }
}
