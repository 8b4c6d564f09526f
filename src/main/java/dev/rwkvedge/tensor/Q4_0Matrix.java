package dev.rwkvedge.tensor;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * ggml Q4_0: per 32 elements an f16 scale d and 16 bytes of nibbles (low nibbles are elements 0-15, high 16-31); w
 * = (q - 8) d.
 */
final class Q4_0Matrix extends PackedMatrix {
    private static final int BLOCK = 18;

    Q4_0Matrix(MemorySegment data, int rows, int cols) {
        super(data, DType.Q4_0, rows, cols, null);
    }

    @Override
    void widenRow(long o, float[] out, int off) {
        for (int k = 0; k < cols / 32; k++) {
            long b = o + (long) BLOCK * k;
            float d = f16(b);
            int dst = off + 32 * k;
            for (int c = 0; c < 16; c += L) toFloats(low(b + 2 + c).sub((byte) 8)).mul(d).intoArray(out, dst + c);
            for (int c = 0; c < 16; c += L) toFloats(high(b + 2 + c).sub((byte) 8)).mul(d).intoArray(out, dst + 16 + c);
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
            for (int c = 0; c < 16; c += L) acc = toFloats(low(b + 2 + c).sub((byte) 8)).mul(d)
                    .fma(FloatVector.fromArray(Simd.S, x, dst + c), acc);
            for (int c = 0; c < 16; c += L) acc = toFloats(high(b + 2 + c).sub((byte) 8)).mul(d)
                    .fma(FloatVector.fromArray(Simd.S, x, dst + 16 + c), acc);
        }
        return Simd.hsum(acc);
    }
}
