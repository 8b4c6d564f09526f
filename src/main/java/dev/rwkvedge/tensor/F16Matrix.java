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
 * IEEE half-precision rows. The Vector API has no half-to-float conversion, so the bits are moved by hand: normal
 * values rebias the exponent, subnormals are their mantissa times 2^-24 (exact), infinities and NaNs keep an all-ones
 * exponent; {@link Float#float16ToFloat} gives the same floats.
 */
final class F16Matrix extends PackedMatrix {
    private static final VectorSpecies<Short> HALVES =
            VectorSpecies.of(short.class, VectorShape.forBitSize(Math.max(64, L * 16)));
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, Simd.S.vectorShape());
    private static final int REBIAS = (127 - 15) << 23;

    F16Matrix(MemorySegment data, int rows, int cols) {
        super(data, DType.F16, rows, cols, null);
    }

    private FloatVector halves(long off) {
        ShortVector h = ShortVector.fromMemorySegment(HALVES, data, off, Simd.LE);
        IntVector bits = (IntVector) h.convertShape(VectorOperators.S2I, INTS, 0);
        IntVector em = bits.and(0x7fff);
        IntVector normal = em.lanewise(VectorOperators.LSHL, 13).add(REBIAS);
        normal = normal.add(REBIAS, em.compare(VectorOperators.GE, 0x7c00));
        VectorMask<Integer> sub = em.compare(VectorOperators.LT, 0x400);
        IntVector subnormal = ((FloatVector) em.convert(VectorOperators.I2F, 0)).mul(0x1p-24f).reinterpretAsInts();
        return normal.blend(subnormal, sub).or(bits.and(0x8000).lanewise(VectorOperators.LSHL, 16))
                .reinterpretAsFloats();
    }

    @Override
    void dot4(long o0, long o1, long o2, long o3, float[] x, int xOff, float[] y, int y0, int y1, int y2, int y3) {
        int n = cols, upper = n - n % L;
        FloatVector a0 = FloatVector.zero(Simd.S), a1 = a0, a2 = a0, a3 = a0;
        for (int i = 0; i < upper; i += L) {
            long b = 2L * i;
            FloatVector xv = FloatVector.fromArray(Simd.S, x, xOff + i);
            a0 = halves(o0 + b).fma(xv, a0);
            a1 = halves(o1 + b).fma(xv, a1);
            a2 = halves(o2 + b).fma(xv, a2);
            a3 = halves(o3 + b).fma(xv, a3);
        }
        float s0 = Simd.hsum(a0), s1 = Simd.hsum(a1), s2 = Simd.hsum(a2), s3 = Simd.hsum(a3);
        for (int i = upper; i < n; i++) {
            float xi = x[xOff + i];
            long b = 2L * i;
            s0 += f16(o0 + b) * xi;
            s1 += f16(o1 + b) * xi;
            s2 += f16(o2 + b) * xi;
            s3 += f16(o3 + b) * xi;
        }
        y[y0] = s0;
        y[y1] = s1;
        y[y2] = s2;
        y[y3] = s3;
    }
}
