package dev.rwkvedge.tensor;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/** bfloat16 rows: the upper half of a float32, widened by a 16-bit shift. */
final class BF16Matrix extends PackedMatrix {
    private static final VectorSpecies<Short> HALVES =
            VectorSpecies.of(short.class, VectorShape.forBitSize(Math.max(64, L * 16)));
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, Simd.S.vectorShape());

    BF16Matrix(MemorySegment data, int rows, int cols) {
        super(data, DType.BF16, rows, cols, null);
    }

    private FloatVector halves(long off) {
        ShortVector h = ShortVector.fromMemorySegment(HALVES, data, off, Simd.LE);
        return ((IntVector) h.convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 16)
                .reinterpretAsFloats();
    }

    private float bf16(long off) {
        return Dequant.bf16(data.get(I16, off));
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
            s0 += bf16(o0 + b) * xi;
            s1 += bf16(o1 + b) * xi;
            s2 += bf16(o2 + b) * xi;
            s3 += bf16(o3 + b) * xi;
        }
        y[y0] = s0;
        y[y1] = s1;
        y[y2] = s2;
        y[y3] = s3;
    }
}
