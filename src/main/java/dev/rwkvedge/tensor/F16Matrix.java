package dev.rwkvedge.tensor;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * IEEE half-precision rows. The Vector API has no half-to-float conversion, so the bits move by hand: sign, exponent
 * and mantissa shift into float32's fields, and one multiply by 2^112 rebiases the exponent, exactly, for normal and
 * subnormal values alike; an all-ones exponent (infinity, NaN) is restored afterwards. {@link Float#float16ToFloat}
 * gives the same floats (a NaN stays a NaN).
 */
final class F16Matrix extends PackedMatrix {
    private static final VectorSpecies<Short> HALVES =
            VectorSpecies.of(short.class, VectorShape.forBitSize(Math.max(64, L * 16)));
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, Simd.S.vectorShape());

    F16Matrix(MemorySegment data, int rows, int cols) {
        super(data, DType.F16, rows, cols, null);
    }

    private FloatVector halves(long off) {
        ShortVector h = ShortVector.fromMemorySegment(HALVES, data, off, Simd.LE);
        IntVector bits = (IntVector) h.convertShape(VectorOperators.S2I, INTS, 0);
        IntVector fields = bits.lanewise(VectorOperators.LSHL, 13).and(0x8fffe000);
        IntVector scaled = fields.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        VectorMask<Integer> special = bits.and(0x7c00).compare(VectorOperators.EQ, 0x7c00);
        return scaled.blend(fields.or(0x7f800000), special).reinterpretAsFloats();
    }

    @Override
    void widenRow(long o, float[] out, int off) {
        int i = 0;
        for (; i + L <= cols; i += L) halves(o + 2L * i).intoArray(out, off + i);
        for (; i < cols; i++) out[off + i] = f16(o + 2L * i);
    }

    @Override
    float dot1(long o, float[] x, int xOff) {
        int n = cols;
        FloatVector acc = FloatVector.zero(Simd.S);
        int i = 0;
        for (; i + L <= n; i += L) acc = halves(o + 2L * i).fma(FloatVector.fromArray(Simd.S, x, xOff + i), acc);
        float sum = Simd.hsum(acc);
        for (; i < n; i++) sum += f16(o + 2L * i) * x[xOff + i];
        return sum;
    }
}
