package dev.rwkvedge.io;

import dev.rwkvedge.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a torch.save-compatible checkpoint (README §9.2): a zip of stored entries with a protocol-2 pickle of an
 * OrderedDict of {@code _rebuild_tensor_v2} calls, one storage per tensor, F32/F16/BF16 (and I8).
 */
public final class PthWriter {
    private static final int BATCH = 1000;

    private PthWriter() {}

    public static void write(Path dest, Map<String, Tensor> tensors) throws IOException {
        List<Tensor> list = new ArrayList<>(tensors.values());
        for (Tensor t : list) storageType(t);
        String file = dest.getFileName().toString();
        String prefix = (file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file).replaceAll("[^A-Za-z0-9_.-]", "_");
        if (prefix.isEmpty()) prefix = "archive";
        String root = prefix + "/";
        byte[] pickle = pickle(list);
        AtomicFile.write(dest, out -> {
            ZipWriter zip = new ZipWriter(out);
            zip.entry(root + "data.pkl", MemorySegment.ofArray(pickle));
            zip.entry(root + "byteorder", MemorySegment.ofArray("little".getBytes(StandardCharsets.US_ASCII)));
            for (int i = 0; i < list.size(); i++) zip.entry(root + "data/" + i, list.get(i).data());
            zip.entry(root + "version", MemorySegment.ofArray("3\n".getBytes(StandardCharsets.US_ASCII)));
            zip.finish();
        }, list, (tmp, arena) -> new ArrayList<>(PthReader.read(tmp, MappedFile.map(tmp, arena), arena).tensors().values()));
    }

    private static String storageType(Tensor t) {
        return switch (t.dtype()) {
            case F32 -> "FloatStorage";
            case F16 -> "HalfStorage";
            case BF16 -> "BFloat16Storage";
            case I8 -> "CharStorage";
            default -> throw new IllegalArgumentException(".pth cannot hold " + t.dtype() + " tensor " + t.name() + "; dequantize it first");
        };
    }

    private static byte[] pickle(List<Tensor> list) {
        Pickle p = new Pickle();
        p.op(0x80).op(2);
        p.global("collections", "OrderedDict").op(')').op('R');
        for (int start = 0; start < list.size(); start += BATCH) {
            p.op('(');
            for (int i = start; i < Math.min(list.size(), start + BATCH); i++) {
                Tensor t = list.get(i);
                p.string(t.name());
                p.global("torch._utils", "_rebuild_tensor_v2").op('(');
                p.op('(').string("storage").global("torch", storageType(t)).string(Integer.toString(i)).string("cpu")
                        .integer(t.numel()).op('t').op('Q');
                p.integer(0);
                long[] shape = t.shape();
                p.op('(');
                for (long d : shape) p.integer(d);
                p.op('t').op('(');
                long stride = 1;
                long[] strides = new long[shape.length];
                for (int d = shape.length - 1; d >= 0; d--) {
                    strides[d] = stride;
                    stride *= Math.max(1, shape[d]);
                }
                for (long s : strides) p.integer(s);
                p.op('t').op(0x89);
                p.global("collections", "OrderedDict").op(')').op('R');
                p.op('t').op('R');
            }
            p.op('u');
        }
        p.op('.');
        return p.bytes();
    }

    /** The few protocol-2 opcodes a state dict needs. */
    private static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int code) {
            out.write(code);
            return this;
        }

        Pickle global(String module, String name) {
            op('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Pickle string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X');
            le(b.length, 4);
            out.writeBytes(b);
            return this;
        }

        Pickle integer(long v) {
            if (v >= 0 && v < 256) {
                op('K');
                le(v, 1);
            } else if (v >= 0 && v < 65536) {
                op('M');
                le(v, 2);
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                op('J');
                le(v, 4);
            } else {
                op(0x8a).op(8);
                le(v, 8);
            }
            return this;
        }

        private void le(long v, int n) {
            for (int i = 0; i < n; i++) out.write((int) (v >>> (8 * i)) & 0xff);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
