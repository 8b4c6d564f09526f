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
    void widenRow(long o, float[] out, int off) {
        int i = 0;
        for (; i + L <= cols; i += L) halves(o + 2L * i).intoArray(out, off + i);
        for (; i < cols; i++) out[off + i] = bf16(o + 2L * i);
    }

    @Override
    float dot1(long o, float[] x, int xOff) {
        int n = cols;
        FloatVector acc = FloatVector.zero(Simd.S);
        int i = 0;
        for (; i + L <= n; i += L) acc = halves(o + 2L * i).fma(FloatVector.fromArray(Simd.S, x, xOff + i), acc);
        float sum = Simd.hsum(acc);
        for (; i < n; i++) sum += bf16(o + 2L * i) * x[xOff + i];
        return sum;
    }
}
