package dev.rwkvedge.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every one of the 65,536 half patterns through the half-precision kernels once: each in its own row, at a position
 * that moves across the lanes and into the leftover elements, among ordinary finite halves. The closed form is
 * {@link Float#float16ToFloat}: a row's vector dot must equal the dot of those floats in {@link Simd#dot}'s order bit
 * for bit, and decode (matVec, several rows per pass) the same; or, when the suite forces the fallback, the double
 * sum of the scalar twin. Matrices with and without infinities and NaNs, and activations with and without values of
 * 2^15 and more, as the kernels treat them apart.
 */
class F16MatrixTest {
    /** At 16, 8 and 4 lanes: pairs of lane chunks, an odd chunk (16, 8) and leftover elements (16, 8). */
    private static final int COLS = 60;

    @ParameterizedTest
    @CsvSource({"false, false", "true, false", "false, true"})
    void everyHalfPatternDotsLikeFloat16ToFloat(boolean withInfinitiesAndNaNs, boolean largeActivations) {
        int[] patterns = IntStream.range(0, 65536)
                .filter(p -> withInfinitiesAndNaNs || (p & 0x7c00) != 0x7c00).toArray();
        int rows = patterns.length;
        SplittableRandom rnd = new SplittableRandom(10);
        MemorySegment s = Arena.ofAuto().allocate(2L * rows * COLS, 64);
        float[] x = new float[COLS];
        for (int c = 0; c < COLS; c++) x[c] = (float) (rnd.nextDouble() * 2 - 1);
        if (largeActivations) x[7] = 0x1p16f; // times 2^112 overflows
        for (int p = 0; p < rows; p++) {
            for (int c = 0; c < COLS; c++) {
                short h = c == p % COLS ? (short) patterns[p] : Float.floatToFloat16((float) rnd.nextGaussian());
                s.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, (long) p * COLS + c, h);
            }
        }
        PackedMatrix m = PackedMatrix.of(new Tensor("w", DType.F16, new long[] {rows, COLS}, s));
        float[] decoded = new float[rows], w = new float[COLS];
        m.matVec(x, 0, decoded, 0, 0, rows);
        for (int p = 0; p < rows; p++) {
            for (int c = 0; c < COLS; c++) {
                w[c] = Float.float16ToFloat(s.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, (long) p * COLS + c));
            }
            float expected = Simd.ON ? laneOrderDot(w, x) : doubleDot(w, x);
            String what = "half 0x" + Integer.toHexString(patterns[p]);
            assertEquals(expected, m.dotVector(p, x, 0), what + ", one row");
            assertEquals(expected, decoded[p], what + ", decode");
        }
    }

    /** Simd.dot's order written out: lane l accumulates elements l, l + L, ... by fused multiply-add. */
    private static float laneOrderDot(float[] w, float[] x) {
        int L = Simd.LANES, upper = COLS - COLS % L;
        float[] acc = new float[L];
        for (int i = 0; i < upper; i += L) for (int l = 0; l < L; l++) acc[l] = Math.fma(w[i + l], x[i + l], acc[l]);
        float sum = Simd.treeSum(acc, 0);
        for (int i = upper; i < COLS; i++) sum += w[i] * x[i];
        return sum;
    }

    private static float doubleDot(float[] w, float[] x) {
        double sum = 0;
        for (int i = 0; i < COLS; i++) sum += (double) w[i] * x[i];
        return (float) sum;
    }
}
