package dev.rwkvedge.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The cached block copy gives each dot the bits of the stored matrix's own kernel, in decode and in sequence mode. */
class SmallF32MatrixTest {
    @ParameterizedTest
    @CsvSource({"16,16", "32,64", "256,64", "64,256", "48,128"})
    void blockDotsEqualTheMatrixKernelsBitForBit(int rows, int cols) {
        assumeTrue(Simd.ON && Simd.LANES == SmallF32Matrix.B, "the block copy is made for 16-lane vectors only");
        float[] values = PackedMatrixTest.random(rows * cols, rows + cols);
        PackedMatrix m = PackedMatrix.of(new Tensor("w", DType.F32, new long[] {rows, cols}, offHeap(values)));
        SmallF32Matrix small = SmallF32Matrix.of(m);
        assertNotNull(small);
        int T = 5;
        float[] x = PackedMatrixTest.random(T * cols, 3);
        float[] expected = new float[T * rows];
        for (int t = 0; t < T; t++) m.matVec(x, t * cols, expected, t * rows, 0, rows);

        float[] serial = new float[T * rows];
        for (int t = 0; t < T; t++) small.matVec(x, t * cols, serial, t * rows, 0, small.blocks());
        assertArrayEquals(expected, serial, "decode");
        float[] batch = new float[T * rows];
        small.matMat(x, T, batch, 0, small.blocks());
        assertArrayEquals(expected, batch, "sequence");

        for (int r = 0; r < rows; r++) {
            double ref = 0, magnitude = 0;
            for (int i = 0; i < cols; i++) {
                ref += (double) values[r * cols + i] * x[i];
                magnitude += Math.abs((double) values[r * cols + i] * x[i]);
            }
            assertEquals(ref, serial[r], (cols + 1) * 0x1p-24 * magnitude, "row " + r + " against double");
        }
        float[] back = new float[rows * cols];
        small.rows(0, rows, back, 0);
        assertArrayEquals(values, back, "rows read back from the copy");
    }

    private static MemorySegment offHeap(float[] w) {
        MemorySegment seg = Arena.ofAuto().allocate(4L * w.length, 64);
        MemorySegment.copy(w, 0, seg, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, w.length);
        return seg;
    }
}
