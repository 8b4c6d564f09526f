package dev.rwkvedge.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every storage type's kernels over packed bytes against {@link Dequant}'s widened rows: the vector and scalar dots
 * within the rounding bound of a float64 dot, serial (matVec) and sequence (matMat) results bit for bit equal, and the
 * packed vector kernel bit for bit equal to the float32 kernel over the widened copy.
 */
class PackedMatrixTest {
    private static final double U = 0x1p-24;

    /** Random but valid stored bytes: random payloads, scales and minimums set to moderate half floats. */
    static MemorySegment packed(DType t, int rows, int cols, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long n = (long) rows * cols;
        MemorySegment s = Arena.ofAuto().allocate(t.byteSize(n), 64);
        switch (t) {
            case F32 -> {
                for (long i = 0; i < n; i++) s.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, gauss(rnd));
            }
            case F16 -> {
                for (long i = 0; i < n; i++) {
                    // the odd subnormal, signed zero and large value, which the vector widening treats apart
                    float v = i % 29 == 3 ? 3e-6f : i % 31 == 5 ? -0f : i % 37 == 7 ? -40000f * 1e-4f : gauss(rnd);
                    s.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, Float.floatToFloat16(v));
                }
            }
            case BF16 -> {
                for (long i = 0; i < n; i++) {
                    short upper = (short) (Float.floatToIntBits(gauss(rnd)) >>> 16);
                    s.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, upper);
                }
            }
            default -> {
                for (long i = 0; i < s.byteSize(); i++) s.set(ValueLayout.JAVA_BYTE, i, (byte) rnd.nextInt(256));
                for (long b = 0; t.isBlockQuantized() && b < n / t.blockSize; b++) {
                    long o = b * t.bytesPerBlock;
                    short d = Float.floatToFloat16((float) rnd.nextDouble(1e-3, 0.05));
                    s.set(ValueLayout.JAVA_SHORT_UNALIGNED, o, d);
                    if (t == DType.Q4_1 || t == DType.Q5_1 || t == DType.Q4_K) {
                        float m = (float) rnd.nextDouble(-0.1, 0.1) * (t == DType.Q4_K ? 0.01f : 1f);
                        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, o + 2, Float.floatToFloat16(m));
                    }
                }
            }
        }
        return s;
    }

    private static float gauss(SplittableRandom rnd) {
        return (float) (rnd.nextGaussian() * 0.1);
    }

    static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextDouble() * 2 - 1);
        return a;
    }

    private static PackedMatrix matrix(DType t, int rows, int cols) {
        MemorySegment data = packed(t, rows, cols, 31L * cols + t.ordinal());
        if (t == DType.I8) return PackedMatrix.int8(data, random(rows, 5), rows, cols);
        return PackedMatrix.of(new Tensor("w", t, new long[] {rows, cols}, data));
    }

    @ParameterizedTest
    @CsvSource({"F32,37", "F32,768", "F16,37", "F16,256", "BF16,37", "BF16,256", "Q8_0,256", "Q4_0,256",
            "Q4_1,256", "Q5_0,256", "Q5_1,256", "Q4_K,512", "I8,37", "I8,256"})
    void dotsAgreeWithTheWidenedRowInDouble(DType type, int cols) {
        int rows = 7, T = 6;
        PackedMatrix m = matrix(type, rows, cols);
        float[] x = random(T * cols, cols), w = new float[rows * cols];
        m.dequantize(0, rows, w, 0);
        float[] widened = new float[cols];
        for (int r = 0; r < rows; r++) {
            Dequant.toFloats(type, m.data(), (long) r * cols, widened, 0, cols);
            float scale = m.scales == null ? 1 : m.scales[r];
            for (int c = 0; c < cols; c++) assertEquals(widened[c] * scale, w[r * cols + c], "dequantize");
            for (int t = 0; t < T; t++) {
                double exact = 0, magnitude = 0;
                for (int c = 0; c < cols; c++) {
                    exact += (double) widened[c] * x[t * cols + c];
                    magnitude += Math.abs((double) widened[c] * x[t * cols + c]);
                }
                // |fl(sum) - sum| <= gamma_(n+1) sum |w x| for any summation order with rounded products and sums
                double gamma = (cols + 1) * U / (1 - (cols + 1) * U), bound = gamma * magnitude;
                float scalar = m.dotScalar(r, x, t * cols), vector = m.dotVector(r, x, t * cols);
                assertEquals(exact, scalar, bound, type + " scalar row " + r);
                assertEquals(exact, vector, bound, type + " vector row " + r);
                assertEquals(scalar, vector, 2 * bound, type + " scalar vs vector");
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"F32,37", "F16,37", "BF16,256", "Q8_0,64", "Q4_0,64", "Q4_1,64", "Q5_0,64", "Q5_1,96", "Q4_K,256",
            "I8,40"})
    void sequenceModeEqualsSerialModeBitForBit(DType type, int cols) {
        int rows = 11, T = 7;
        PackedMatrix m = matrix(type, rows, cols);
        float[] x = random(T * cols, 7 * cols);
        float[] serial = new float[T * rows];
        for (int t = 0; t < T; t++) m.matVec(x, t * cols, serial, t * rows, 0, rows);
        for (int tokens : new int[] {2, 3, T}) {
            float[] seq = new float[tokens * rows];
            m.matMat(x, tokens, seq, 0, 5);
            m.matMat(x, tokens, seq, 5, rows);
            float[] expected = java.util.Arrays.copyOf(serial, tokens * rows);
            assertArrayEquals(expected, seq, type + " with " + tokens + " tokens");
        }
        float[] split = new float[rows];
        m.matVec(x, 0, split, 0, 0, 3);
        m.matVec(x, 0, split, 0, 3, rows);
        assertArrayEquals(java.util.Arrays.copyOf(serial, rows), split, type + ": a split range changes nothing");
    }

    @ParameterizedTest
    @CsvSource({"F16,256", "BF16,37", "Q8_0,256", "Q4_0,256", "Q4_1,256", "Q5_0,256", "Q5_1,256", "Q4_K,256"})
    void packedKernelEqualsFloat32KernelOnTheWidenedCopy(DType type, int cols) {
        int rows = 9;
        PackedMatrix m = matrix(type, rows, cols);
        float[] w = new float[rows * cols];
        m.dequantize(0, rows, w, 0);
        PackedMatrix f32 = PackedMatrix.of(Tensor.ofFloats("w", w, rows, cols));
        float[] x = random(cols, 3), a = new float[rows], b = new float[rows];
        m.matVec(x, 0, a, 0, 0, rows);
        f32.matVec(x, 0, b, 0, 0, rows);
        assertArrayEquals(b, a, type.toString());
    }

    @ParameterizedTest
    @CsvSource({"F16", "BF16"})
    void everySixteenBitPatternWidensLikeDequant(DType type) {
        MemorySegment s = Arena.ofAuto().allocate(2 * 65536);
        for (int i = 0; i < 65536; i++) s.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, (short) i);
        PackedMatrix m = PackedMatrix.of(new Tensor("w", type, new long[] {1, 65536}, s));
        float[] vector = new float[65536], scalar = new float[65536];
        m.widenRow(0, vector, 0);
        Dequant.toFloats(type, s, 0, scalar, 0, 65536);
        // the same bits for every number (signed zeros, subnormals, infinities); a NaN stays a NaN (its quiet bit
        // may differ, as between float16ToFloat's intrinsic and its Java code)
        for (int i = 0; i < 65536; i++) assertEquals(scalar[i], vector[i], type + " bits 0x" + Integer.toHexString(i));
    }

    @ParameterizedTest
    @CsvSource({"Q4_0,48", "Q4_K,384"})
    void rowsThatAreNotWholeBlocksAreRefused(DType type, int cols) {
        MemorySegment s = Arena.ofAuto().allocate(type.byteSize(2L * cols));
        assertThrows(IllegalArgumentException.class,
                () -> PackedMatrix.of(new Tensor("w", type, new long[] {2, cols}, s)));
    }
    /**
     * A matrix stored as (in x out) for x @ M, used in place as M^T, gives the bits of the float32 kernel over an
     * explicitly transposed widened copy (what the loader held before), serial and sequence, whole and split; in
     * both kernel modes. Sizes leave partial lane blocks on both axes.
     */
    @ParameterizedTest
    @CsvSource({"F32,37,13", "F32,768,64", "F16,45,37", "BF16,64,32", "Q8_0,21,64", "Q5_1,19,96"})
    void transposedStorageEqualsTheTransposedCopy(DType type, int in, int out) {
        PackedMatrix stored = matrix(type, in, out);
        StoredMatrix m = StoredMatrix.transposed(new Tensor("w", type, new long[] {in, out}, stored.data()));
        assertEquals(out, m.rows());
        assertEquals(in, m.cols());
        float[] w = new float[in * out], t = new float[in * out];
        stored.dequantize(0, in, w, 0);
        for (int i = 0; i < in; i++) for (int j = 0; j < out; j++) t[j * in + i] = w[i * out + j];
        float[] back = new float[in * out];
        m.dequantize(0, 5, back, 0);
        m.dequantize(5, out - 5, back, 5 * in);
        assertArrayEquals(t, back, "dequantize");
        PackedMatrix copy = PackedMatrix.of(Tensor.ofFloats("t", t, out, in));
        int T = 3;
        float[] x = random(T * in, 11), expected = new float[T * out], serial = new float[T * out];
        copy.matMat(x, T, expected, 0, out);
        for (int k = 0; k < T; k++) {
            m.matVec(x, k * in, serial, k * out, 0, 3);
            m.matVec(x, k * in, serial, k * out, 3, out);
        }
        assertArrayEquals(expected, serial, type + " serial");
        float[] seq = new float[T * out];
        m.matMat(x, T, seq, 0, out);
        assertArrayEquals(expected, seq, type + " sequence");
    }
}
