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

    /** Elements c .. c+L of the block at {@code b} as {@link Dequant} widens them. */
    private FloatVector chunk(long b, int c, float d) {
        return toFloats(nibbles(b + 2, c).sub((byte) 8)).mul(d);
    }

    @Override
    void dot4(long o0, long o1, long o2, long o3, float[] x, int xOff, float[] y, int y0, int y1, int y2, int y3) {
        FloatVector a0 = FloatVector.zero(Simd.S), a1 = a0, a2 = a0, a3 = a0;
        int blocks = cols / 32;
        for (int k = 0; k < blocks; k++) {
            long b = (long) BLOCK * k;
            long b0 = o0 + b, b1 = o1 + b, b2 = o2 + b, b3 = o3 + b;
            float d0 = f16(b0), d1 = f16(b1), d2 = f16(b2), d3 = f16(b3);
            int xb = xOff + 32 * k;
            for (int c = 0; c < 32; c += L) {
                FloatVector xv = FloatVector.fromArray(Simd.S, x, xb + c);
                a0 = chunk(b0, c, d0).fma(xv, a0);
                a1 = chunk(b1, c, d1).fma(xv, a1);
                a2 = chunk(b2, c, d2).fma(xv, a2);
                a3 = chunk(b3, c, d3).fma(xv, a3);
            }
        }
        y[y0] = Simd.hsum(a0);
        y[y1] = Simd.hsum(a1);
        y[y2] = Simd.hsum(a2);
        y[y3] = Simd.hsum(a3);
    }
}
