package dev.rwkvedge.tensor;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * ggml Q5_0: per 32 elements an f16 scale d, a 32-bit field of fifth bits, then 16 bytes of nibbles; w = (q - 16)
 * d.
 */
final class Q5_0Matrix extends PackedMatrix {
    private static final int BLOCK = 22;

    Q5_0Matrix(MemorySegment data, int rows, int cols) {
        super(data, DType.Q5_0, rows, cols, null);
    }

    @Override
    void widenRow(long o, float[] out, int off) {
        for (int k = 0; k < cols / 32; k++) {
            long b = o + (long) BLOCK * k;
            float d = f16(b);
            int qh = data.get(I32, b + 2);
            int dst = off + 32 * k;
            for (int c = 0; c < 16; c += L) toFloats(fifthBit(low(b + 6 + c), qh, c).sub((byte) 16)).mul(d)
                    .intoArray(out, dst + c);
            for (int c = 0; c < 16; c += L) toFloats(fifthBit(high(b + 6 + c), qh, 16 + c).sub((byte) 16)).mul(d)
                    .intoArray(out, dst + 16 + c);
        }
    }

    @Override
    float dot1(long o, float[] x, int xOff) {
        int n = cols;
        FloatVector acc = FloatVector.zero(Simd.S);
        for (int k = 0; k < n / 32; k++) {
            long b = o + (long) BLOCK * k;
            float d = f16(b);
            int qh = data.get(I32, b + 2);
            int dst = xOff + 32 * k;
            for (int c = 0; c < 16; c += L) acc = toFloats(fifthBit(low(b + 6 + c), qh, c).sub((byte) 16)).mul(d)
                    .fma(FloatVector.fromArray(Simd.S, x, dst + c), acc);
            for (int c = 0; c < 16; c += L) acc = toFloats(fifthBit(high(b + 6 + c), qh, 16 + c).sub((byte) 16)).mul(d)
                    .fma(FloatVector.fromArray(Simd.S, x, dst + 16 + c), acc);
        }
        return Simd.hsum(acc);
    }
}
