package dev.rwkvedge.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Both kernels against the definition, written out here on its own: run with vectors and with -Drwkv.simd=false. */
class SignSumsTest {

    @ParameterizedTest
    @CsvSource({"192, 768", "64, 256", "13, 37", "8, 1", "1, 17", "200, 49"})
    void bothKernelsAddEachNeuronsSetInputsInTheDefinedOrder(int inputs, int neurons) {
        SplittableRandom rnd = new SplittableRandom(inputs * 1000L + neurons);
        int groups = SignSums.groups(inputs);
        boolean[][] set = new boolean[neurons][inputs];
        byte[] signs = new byte[groups * neurons];
        for (int j = 0; j < neurons; j++) {
            for (int i = 0; i < inputs; i++) {
                set[j][i] = rnd.nextBoolean();
                if (set[j][i]) signs[(i / 8) * neurons + j] |= (byte) (1 << (i % 8));
            }
        }
        int xOff = 3;
        float[] x = new float[xOff + inputs];
        for (int i = 0; i < inputs; i++) x[xOff + i] = (float) (rnd.nextGaussian() * Math.exp(rnd.nextInt(6) - 3));

        float[] start = new float[neurons];
        for (int j = 0; j < neurons; j++) start[j] = j % 3; // the kernels add to what u holds

        // closed form: per group, from its last input down to its first, from zero; the groups added in order
        float[] expected = start.clone();
        float expectedTotal = 0;
        for (int g = 0; g < groups; g++) {
            float all = 0;
            for (int i = Math.min(inputs, 8 * g + 8) - 1; i >= 8 * g; i--) all += x[xOff + i];
            expectedTotal += all;
            for (int j = 0; j < neurons; j++) {
                float s = 0;
                for (int i = Math.min(inputs, 8 * g + 8) - 1; i >= 8 * g; i--) if (set[j][i]) s += x[xOff + i];
                expected[j] += s;
            }
        }

        float[] scalar = start.clone(), kernel = start.clone();
        assertEquals(expectedTotal, SignSums.addScalar(signs, neurons, x, xOff, inputs, scalar));
        assertEquals(expectedTotal, SignSums.add(signs, neurons, x, xOff, inputs, kernel));
        assertArrayEquals(expected, scalar, "scalar twin");
        assertArrayEquals(expected, kernel, Simd.ON ? "vector kernel" : "scalar fallback");

        // and near the exact sums in double (the order above is only one of the roundings)
        for (int j = 0; j < neurons; j++) {
            double exact = start[j], magnitude = Math.abs(start[j]);
            for (int i = 0; i < inputs; i++) {
                if (set[j][i]) {
                    exact += x[xOff + i];
                    magnitude += Math.abs(x[xOff + i]);
                }
            }
            assertEquals(exact, kernel[j], 1e-6 * (inputs + 1) * magnitude + 1e-30);
        }
    }
}
