package dev.rwkvedge.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sums of x over sign patterns: for neuron j, the sum of x[i] over the inputs whose bit is set in j's packed signs,
 * the core of a 1-bit predictor's score. Signs are group-major: byte g * neurons + j holds inputs 8g .. 8g+7 of
 * neuron j, bit b for input 8g + b. The order is fixed: group by group, and within a group from bit 7 down to bit 0
 * starting from zero (adding an unset bit's zero changes nothing), so the vector kernel and its scalar twin give the
 * same bits.
 */
public final class SignSums {
    /** Byte lanes need a vector of at least 64 bits, i.e. 8 float lanes (the scalar twin serves the rest). */
    private static final boolean VECTOR = Simd.ON && Simd.LANES >= 8;
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, Simd.S.vectorShape());
    private static final VectorSpecies<Byte> BYTES =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(Simd.LANES * 8));

    private SignSums() {}

    /**
     * Adds each neuron's sum over its set bits to u[0 .. neurons) and returns the sum of all inputs (every group's
     * full-pattern sum, in the same order), through the vector kernel where there is one.
     */
    public static float add(byte[] signs, int neurons, float[] x, int xOff, int inputs, float[] u) {
        return VECTOR ? addVector(signs, neurons, x, xOff, inputs, u) : addScalar(signs, neurons, x, xOff, inputs, u);
    }

    /**
     * The scalar twin: per group a table of the 256 subset sums, each entry the entry without its lowest bit plus
     * that bit's x, which adds a pattern's inputs from its highest bit down; then one lookup per neuron.
     */
    public static float addScalar(byte[] signs, int neurons, float[] x, int xOff, int inputs, float[] u) {
        float[] table = new float[256];
        float total = 0;
        for (int g = 0; g < groups(inputs); g++) {
            for (int v = 1; v < 256; v++) {
                int i = 8 * g + Integer.numberOfTrailingZeros(v);
                table[v] = table[v & (v - 1)] + (i < inputs ? x[xOff + i] : 0f);
            }
            total += table[255];
            for (int j = 0, o = g * neurons; j < neurons; j++) u[j] += table[signs[o + j] & 0xff];
        }
        return total;
    }

    /**
     * A vector of neurons at a time: their bytes widened to int lanes, then one masked add per bit from bit 7 down.
     * About 10x fewer instructions than a table lookup per neuron and group.
     */
    public static float addVector(byte[] signs, int neurons, float[] x, int xOff, int inputs, float[] u) {
        int lanes = Simd.LANES, whole = neurons - neurons % lanes;
        float[] xg = new float[8];
        float total = 0;
        for (int g = 0; g < groups(inputs); g++) {
            float groupTotal = 0; // the table's entry 255
            for (int b = 7; b >= 0; b--) {
                int i = 8 * g + b;
                xg[b] = i < inputs ? x[xOff + i] : 0f;
                groupTotal += xg[b];
            }
            total += groupTotal;
            int o = g * neurons;
            for (int j = 0; j < whole; j += lanes) {
                IntVector bits = (IntVector) ByteVector.fromArray(BYTES, signs, o + j)
                        .convertShape(VectorOperators.B2I, INTS, 0);
                FloatVector sum = FloatVector.zero(Simd.S);
                for (int b = 7; b >= 0; b--) {
                    VectorMask<Float> set = bits.and(1 << b).compare(VectorOperators.NE, 0).cast(Simd.S);
                    sum = sum.add(FloatVector.broadcast(Simd.S, xg[b]), set);
                }
                FloatVector.fromArray(Simd.S, u, j).add(sum).intoArray(u, j);
            }
            for (int j = whole; j < neurons; j++) {
                int bits = signs[o + j];
                float sum = 0;
                for (int b = 7; b >= 0; b--) if ((bits & (1 << b)) != 0) sum += xg[b];
                u[j] += sum;
            }
        }
        return total;
    }

    /** Sign bytes per neuron: one per 8 inputs, the last padded. */
    public static int groups(int inputs) {
        return (inputs + 7) / 8;
    }
}
