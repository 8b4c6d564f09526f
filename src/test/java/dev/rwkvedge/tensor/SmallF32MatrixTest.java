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

/**
 * The cached block copy's dots: the bits of its documented order (four fused multiply-add chains over columns k, k+4,
 * ..., summed (0 + 1) + (2 + 3)) written out in scalar code, the same in decode and in sequence mode, and within
 * rounding of the stored matrix's own kernel and of a double-precision sum.
 */
class SmallF32MatrixTest {
    @ParameterizedTest
    @CsvSource({"16,16", "32,64", "256,64", "64,256", "48,128"})
    void blockDotsFollowTheirOrderInDecodeAndSequence(int rows, int cols) {
        assumeTrue(Simd.ON && Simd.LANES == SmallF32Matrix.B, "the block copy is made for 16-lane vectors only");
        float[] values = PackedMatrixTest.random(rows * cols, rows + cols);
        PackedMatrix m = PackedMatrix.of(new Tensor("w", DType.F32, new long[] {rows, cols}, offHeap(values)));
        SmallF32Matrix small = SmallF32Matrix.of(m);
        assertNotNull(small);
        int T = 5;
        float[] x = PackedMatrixTest.random(T * cols, 3);
        float[] expected = new float[T * rows];
        for (int t = 0; t < T; t++) {
            for (int r = 0; r < rows; r++) expected[t * rows + r] = fourChains(values, r * cols, x, t * cols, cols);
        }
        float[] stored = new float[T * rows];
        for (int t = 0; t < T; t++) m.matVec(x, t * cols, stored, t * rows, 0, rows);

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
            assertEquals(stored[r], serial[r], 2 * (cols + 1) * 0x1p-24 * magnitude, "row " + r + " against the stored kernel");
        }
        float[] back = new float[rows * cols];
        small.rows(0, rows, back, 0);
        assertArrayEquals(values, back, "rows read back from the copy");
    }

    private static float fourChains(float[] w, int wOff, float[] x, int xOff, int n) {
        float[] acc = new float[4];
        for (int j = 0; j < n; j++) acc[j % 4] = Math.fma(w[wOff + j], x[xOff + j], acc[j % 4]);
        return (acc[0] + acc[1]) + (acc[2] + acc[3]);
    }

    private static MemorySegment offHeap(float[] w) {
        MemorySegment seg = Arena.ofAuto().allocate(4L * w.length, 64);
        MemorySegment.copy(w, 0, seg, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, w.length);
        return seg;
    }
}
