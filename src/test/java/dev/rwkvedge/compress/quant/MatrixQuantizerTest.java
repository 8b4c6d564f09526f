package dev.rwkvedge.compress.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.runtime.Int8Projection;
import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Tensor;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MatrixQuantizerTest {
    /** Rows of 96 (three groups): Gaussian, with an outlier, constant, tiny, all negative, and a zero group. */
    static float[] weights(int out, int in, long seed) {
        Random rnd = new Random(seed);
        float[] w = new float[out * in];
        for (int i = 0; i < w.length; i++) w[i] = (float) (rnd.nextGaussian() * 0.05);
        w[5] = 0.9f;
        for (int c = 32; c < 64; c++) w[in + c] = 0.0371f;
        for (int c = 0; c < 32; c++) w[2 * in + c] = (float) (rnd.nextGaussian() * 1e-6);
        for (int c = 32; c < 64; c++) w[2 * in + c] = -1.25f - rnd.nextFloat();
        for (int c = 64; c < 96; c++) w[3 * in + c] = 0;
        return w;
    }

    @ParameterizedTest
    @EnumSource(value = Precision.class, names = {"Q4_0", "Q4_1"})
    void fourBitRoundTripIsWithinHalfAStepOfItsGroupsRange(Precision p) {
        int out = 8, in = 96;
        float[] w = weights(out, in, 1);
        Tensor t = MatrixQuantizer.quantize("w", w, out, in, p, null, false).tensors()[0];
        assertEquals(p.dtype, t.dtype());
        assertEquals(p.bytes(out, in), t.data().byteSize());
        float[] back = t.toFloats(); // ggml's dequantizer, not ours
        for (int g = 0; g < out * in / 32; g++) {
            long off = (long) g * p.dtype.bytesPerBlock;
            float d = Float.float16ToFloat(t.data().get(ValueLayout.JAVA_SHORT_UNALIGNED, off));
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, amax = 0;
            for (int i = 32 * g; i < 32 * g + 32; i++) {
                min = Math.min(min, w[i]);
                max = Math.max(max, w[i]);
                amax = Math.max(amax, Math.abs(w[i]));
            }
            // the scale is the group's range over the levels, rounded up to the next float16
            double range;
            if (p == Precision.Q4_1) {
                float m = Float.float16ToFloat(t.data().get(ValueLayout.JAVA_SHORT_UNALIGNED, off + 2));
                assertTrue(m <= min && m >= min - Math.max(Math.abs(min) / 1024, 6e-8), "minimum " + m + " for " + min);
                range = (max - m) / 15;
            } else {
                range = amax / 7.5;
            }
            assertTrue(d >= range * (1 - 1e-7) && d <= range * (1 + 1.0 / 1024) + 6e-8, "scale " + d + " for " + range);
            for (int i = 32 * g; i < 32 * g + 32; i++) {
                assertTrue(Math.abs(w[i] - back[i]) <= d / 2 * (1 + 1e-6) + 1e-12,
                        "group " + g + " element " + i + ": " + w[i] + " -> " + back[i] + ", scale " + d);
            }
        }
    }

    @Test
    void int8RoundTripIsWithinHalfAStepOfTheRowsRange() {
        int out = 8, in = 96;
        float[] w = weights(out, in, 2);
        MatrixQuantizer.Result r = MatrixQuantizer.quantize("w", w, out, in, Precision.INT8, null, false);
        float[] ours = r.projection().toArray();
        float[] plain = Int8Projection.quantize(w, out, in).toArray();
        for (int row = 0; row < out; row++) {
            double amax = 0;
            for (int c = 0; c < in; c++) amax = Math.max(amax, Math.abs(w[row * in + c]));
            double s = amax / 127;
            for (int c = 0; c < in; c++) {
                int i = row * in + c;
                assertTrue(Math.abs(w[i] - ours[i]) <= s / 2 * (1 + 1e-6), "row " + row + ": " + w[i] + " -> " + ours[i]);
                assertEquals(plain[i], ours[i], "without feedback it is the runtime's own int8 quantization");
            }
        }
    }

    @Test
    void halfRoundsInTheAskedDirection() {
        Random rnd = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            float v = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(9) - 6));
            float up = Half.value(Half.up(v)), down = Half.value(Half.down(v));
            assertTrue(up >= v && down <= v, v + ": " + down + " .. " + up);
            // adjacent float16 values: nothing representable lies strictly between
            assertTrue(up == down || Math.abs(Float.floatToFloat16(up) - Float.floatToFloat16(down)) == 1
                    || up == 0 || down == 0, v + ": " + down + " .. " + up);
        }
    }

    /**
     * Inputs with strongly correlated channels, as in a real layer: error feedback lowers the output error on them,
     * measured directly as ||X (W - Q)^T||^2 from the inputs themselves, not through the Gram matrix.
     */
    @ParameterizedTest
    @EnumSource(value = Precision.class, names = {"Q4_0", "Q4_1", "INT8"})
    void errorFeedbackLowersTheOutputErrorOnCorrelatedInputs(Precision p) {
        int out = 16, in = 64, T = 512;
        Random rnd = new Random(4);
        float[] w = new float[out * in];
        for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextGaussian();
        double[] x = new double[T * in];
        for (int t = 0; t < T; t++) {
            double common = rnd.nextGaussian();
            for (int c = 0; c < in; c++) x[t * in + c] = common + 0.3 * rnd.nextGaussian() + (c % 7 == 0 ? 2 * common : 0);
        }
        double[] gram = new double[in * in];
        for (int t = 0; t < T; t++) {
            for (int i = 0; i < in; i++) for (int j = 0; j < in; j++) gram[i * in + j] += x[t * in + i] * x[t * in + j];
        }
        MatrixQuantizer.Result r = MatrixQuantizer.quantize("w", w, out, in, p, gram, true);
        float[] q = r.projection().toArray();
        float[] plain = MatrixQuantizer.quantize("w", w, out, in, p, null, false).projection().toArray();
        double direct = outputError(x, w, q, T, out, in), directPlain = outputError(x, w, plain, T, out, in);
        assertEquals(directPlain, r.roundingError(), 1e-6 * directPlain, "the Gram form equals the direct error");
        assertEquals(direct, Math.min(r.roundingError(), r.feedbackError()), 1e-6 * direct);
        assertTrue(r.feedbackKept(), "error feedback helps here");
        assertTrue(direct < 0.8 * directPlain, p + ": " + direct + " vs plain " + directPlain);
    }

    private static double outputError(double[] x, float[] w, float[] q, int T, int out, int in) {
        double e = 0;
        for (int t = 0; t < T; t++) {
            for (int r = 0; r < out; r++) {
                double y = 0;
                for (int c = 0; c < in; c++) y += x[t * in + c] * ((double) w[r * in + c] - q[r * in + c]);
                e += y * y;
            }
        }
        return e;
    }

    @Test
    void fourBitNeedsWholeGroups() {
        assertTrue(MatrixQuantizer.fits(Precision.Q4_1, 64));
        assertTrue(!MatrixQuantizer.fits(Precision.Q4_0, 48));
        assertTrue(MatrixQuantizer.fits(Precision.INT8, 48));
        assertEquals(18 * 2, Precision.Q4_0.bytes(1, 64));
        assertEquals(DType.Q4_1.bytesPerBlock, Precision.Q4_1.bytes(1, 32));
    }
}
