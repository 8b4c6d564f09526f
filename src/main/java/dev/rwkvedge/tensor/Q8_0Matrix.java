package dev.rwkvedge.tensor;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/** ggml Q8_0: per 32 elements an f16 scale d and 32 signed bytes q; w = q d. */
final class Q8_0Matrix extends PackedMatrix {
    private static final int BLOCK = 34;

    Q8_0Matrix(MemorySegment data, int rows, int cols) {
        super(data, DType.Q8_0, rows, cols, null);
    }

    @Override
    void widenRow(long o, float[] out, int off) {
        for (int k = 0; k < cols / 32; k++) {
            long b = o + (long) BLOCK * k;
            float d = f16(b);
            int dst = off + 32 * k;
            for (int c = 0; c < 32; c += L) toFloats(bytes(b + 2 + c)).mul(d).intoArray(out, dst + c);
        }
    }

    @Override
    float dot1(long o, float[] x, int xOff) {
        int n = cols;
        FloatVector acc = FloatVector.zero(Simd.S);
        for (int k = 0; k < n / 32; k++) {
            long b = o + (long) BLOCK * k;
            float d = f16(b);
            int dst = xOff + 32 * k;
            for (int c = 0; c < 32; c += L) acc = toFloats(bytes(b + 2 + c)).mul(d)
                    .fma(FloatVector.fromArray(Simd.S, x, dst + c), acc);
        }
        return Simd.hsum(acc);
    }
}
