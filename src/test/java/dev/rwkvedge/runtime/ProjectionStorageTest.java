package dev.rwkvedge.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Dequant;
import dev.rwkvedge.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Projections keep their file's storage type: no widened copy, reads as a matrix on demand, same results. */
class ProjectionStorageTest {

    @ParameterizedTest
    @ValueSource(strings = {"4v0-660K-Q5_1", "7v0-834K-Q5_1", "6v0-3m-Q5_0"})
    void quantizedFileProjectionsHoldNoWidenedCopy(String model) throws Exception {
        try (LoadedModel m = LoadedModel.open(Reference.file("rwkv.cpp/tests/tiny-rwkv-" + model + ".bin"))) {
            Map<String, Projection> byTensor = new LinkedHashMap<>();
            for (int l = 0; l < m.model().blocks().size(); l++) {
                Block b = m.model().blocks().get(l);
                String prefix = "blocks." + l + ".";
                b.timeMix().projections().forEach((k, p) -> byTensor.put(prefix + k + ".weight", p));
                if (b.channelMix() instanceof DenseChannelMix d) {
                    d.projections().forEach((k, p) -> byTensor.put(prefix + k + ".weight", p));
                }
            }
            byTensor.put("head.weight", ((DenseHead) m.model().head()).projection());
            long stored = 0, resident = 0, packed = 0;
            for (var e : byTensor.entrySet()) {
                Tensor t = m.checkpoint().find(e.getKey()).orElse(null);
                if (t == null) continue; // v7's LoRA factors are transposed matrices, not stored projections
                stored += t.data().byteSize();
                resident += e.getValue().residentBytes();
                if (t.dtype().isBlockQuantized()) {
                    packed++;
                    assertEquals(t.dtype(), ((DenseProjection) e.getValue()).sourceType(), e.getKey());
                }
            }
            assertTrue(packed > 0, model + ": no block-quantized projection to check");
            assertTrue(resident <= 1.1 * stored, model + ": projections hold " + resident + " bytes for " + stored
                    + " stored");
        }
    }

    /** Q4_0 and Q4_1 blocks as our 4-bit compression writes them: ggml's layout, random nibbles, real scales. */
    static Tensor blocks(DType type, int rows, int cols, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long nb = (long) rows * cols / 32;
        MemorySegment s = Arena.ofAuto().allocate(nb * type.bytesPerBlock);
        for (long i = 0; i < s.byteSize(); i++) s.set(ValueLayout.JAVA_BYTE, i, (byte) rnd.nextInt(256));
        for (long b = 0; b < nb; b++) {
            long o = b * type.bytesPerBlock;
            s.set(ValueLayout.JAVA_SHORT_UNALIGNED, o, Float.floatToFloat16((float) rnd.nextDouble(0.001, 0.02)));
            if (type == DType.Q4_1) {
                s.set(ValueLayout.JAVA_SHORT_UNALIGNED, o + 2, Float.floatToFloat16((float) rnd.nextDouble(-0.1, 0)));
            }
        }
        return new Tensor("w", type, new long[] {rows, cols}, s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Q4_0", "Q4_1"})
    void fourBitBlocksComputeOnThePackedForm(String name) {
        DType type = DType.valueOf(name);
        int out = 70, in = 96, T = 5;
        Tensor t = blocks(type, out, in, 11);
        float[] bias = KernelsTest.random(out, 12);
        DenseProjection p = DenseProjection.of(t, bias);
        assertEquals(t.data().byteSize() + 4L * out, p.residentBytes());

        float[] widened = new float[out * in];
        Dequant.toFloats(type, t.data(), 0, widened, 0, out * in);
        assertArrayEquals(widened, p.toArray(), "toArray is the ggml dequantization");
        float[] rows = new float[3 * in];
        p.rows(40, 3, rows, 0);
        assertArrayEquals(java.util.Arrays.copyOfRange(widened, 40 * in, 43 * in), rows, "a block of rows");

        // the same matrix widened to float32 computes the same bits
        DenseProjection f32 = DenseProjection.of(Tensor.ofFloats("w", widened, out, in), bias);
        float[] x = KernelsTest.random(T * in, 13);
        float[] serial = new float[T * out], reference = new float[T * out], seq = new float[T * out];
        Parallel two = new Parallel(2);
        try {
            for (int s = 0; s < T; s++) {
                p.apply(x, s * in, serial, s * out, Parallel.serial());
                f32.apply(x, s * in, reference, s * out, two);
            }
            p.applyBatch(x, seq, T, two);
        } finally {
            two.shutdown();
        }
        assertArrayEquals(reference, serial, "packed vs widened");
        assertArrayEquals(serial, seq, "sequence vs serial");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5})
    void int8SequenceAndSingleTokenBatchesComputeWhatApplyDoes(int T) {
        int out = 37, in = 40;
        Int8Projection p = Int8Projection.quantize(KernelsTest.random(out * in, 21), out, in);
        float[] x = KernelsTest.random(T * in, 22), serial = new float[T * out], batch = new float[T * out];
        for (int t = 0; t < T; t++) p.apply(x, t * in, serial, t * out, Parallel.serial());
        p.applyBatch(x, batch, T, Parallel.serial());
        assertArrayEquals(serial, batch, T + " token(s): a row streamed alone or met in tiles gives the same bits");
    }
}
