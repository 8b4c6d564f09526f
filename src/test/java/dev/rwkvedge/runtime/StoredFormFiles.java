package dev.rwkvedge.runtime;

import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.io.GgufWriter;
import dev.rwkvedge.io.RwkvCppWriter;
import dev.rwkvedge.model.SyntheticModel;
import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Writes one synthetic RWKV-7 (default rwkv7-0.1b) as rwkv.cpp F32, F16 and Q8_0 files with our writer and as a
 * GGUF whose projections, embedding and head are Q5_1 (ggml's reference quantizer; the small LoRA factors stay F32,
 * as llama.cpp leaves them), for {@code ./studio bench} to compare the storage types on the same weights. Not a test;
 * after {@code mvn test-compile}: {@code java --add-modules jdk.incubator.vector -cp
 * target/classes:target/test-classes dev.rwkvedge.runtime.StoredFormFiles /tmp/stored [shape]}.
 */
public final class StoredFormFiles {
    private StoredFormFiles() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/stored");
        SyntheticModel.Shape shape = SyntheticModel.shape(args.length > 1 ? args[1] : "rwkv7-0.1b");
        Files.createDirectories(dir);
        Checkpoint ck = SyntheticModel.rwkv7(shape, 1);
        for (DType t : new DType[] {DType.F32, DType.F16, DType.Q8_0}) {
            Path p = dir.resolve(shape.name() + "-" + t + ".bin");
            RwkvCppWriter.write(p, ck.tensors(), t);
            System.out.printf("%s %,d bytes%n", p, Files.size(p));
        }
        Map<String, Tensor> q = new LinkedHashMap<>();
        for (Tensor t : ck.tensors().values()) q.put(t.name(), isProjection(t) ? q5_1(t) : t);
        Path p = dir.resolve(shape.name() + "-Q5_1.gguf");
        GgufWriter.write(p, q, shape.name(), Optional.empty());
        System.out.printf("%s %,d bytes%n", p, Files.size(p));
    }

    private static boolean isProjection(Tensor t) {
        return t.rank() == 2 && t.name().endsWith(".weight") && t.cols() % 32 == 0;
    }

    /** ggml's quantize_row_q5_1_ref: per 32 values d = (max - min) / 31, m = min, q = round((x - min) / d). */
    static Tensor q5_1(Tensor t) {
        float[] x = t.toFloats();
        int nb = x.length / 32;
        MemorySegment s = Arena.ofAuto().allocate(24L * nb);
        for (int b = 0; b < nb; b++) {
            float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < 32; j++) {
                min = Math.min(min, x[32 * b + j]);
                max = Math.max(max, x[32 * b + j]);
            }
            float d = (max - min) / 31, id = d != 0 ? 1 / d : 0;
            long o = 24L * b;
            s.set(ValueLayout.JAVA_SHORT_UNALIGNED, o, Float.floatToFloat16(d));
            s.set(ValueLayout.JAVA_SHORT_UNALIGNED, o + 2, Float.floatToFloat16(min));
            int qh = 0;
            for (int j = 0; j < 16; j++) {
                int x0 = (int) ((x[32 * b + j] - min) * id + 0.5f), x1 = (int) ((x[32 * b + 16 + j] - min) * id + 0.5f);
                s.set(ValueLayout.JAVA_BYTE, o + 8 + j, (byte) ((x0 & 15) | ((x1 & 15) << 4)));
                qh |= ((x0 & 0x10) >> 4) << j;
                qh |= ((x1 & 0x10) >> 4) << (j + 16);
            }
            s.set(ValueLayout.JAVA_INT_UNALIGNED, o + 4, qh);
        }
        return new Tensor(t.name(), DType.Q5_1, t.shape(), s);
    }
}
