package dev.rwkvedge.tensor;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * ggml Q4_K: super-blocks of 256 elements: f16 d and dmin, twelve bytes packing eight 6-bit scales and minimums,
 * then 128 bytes of nibbles (bytes 32p .. 32p+32 hold sub-block 2p in their low and 2p+1 in their high nibbles);
 * w = (d sc) q - (dmin m).
 */
final class Q4_KMatrix extends PackedMatrix {
    private static final int BLOCK = 144;

    Q4_KMatrix(MemorySegment data, int rows, int cols) {
        super(data, DType.Q4_K, rows, cols, null);
    }

    private int u8(long off) {
        return data.get(java.lang.foreign.ValueLayout.JAVA_BYTE, off) & 0xff;
    }

    /** Sub-block j's 6-bit scale (min = false) or minimum, from the twelve bytes at sc. */
    private int scaleMin(long sc, int j, boolean min) {
        if (j < 4) return u8(sc + j + (min ? 4 : 0)) & 63;
        return min ? (u8(sc + j + 4) >> 4) | ((u8(sc + j) >> 6) << 4)
                : (u8(sc + j + 4) & 15) | ((u8(sc + j - 4) >> 6) << 4);
    }

    @Override
    void widenRow(long o, float[] out, int off) {
        for (int k = 0; k < cols / 256; k++) {
            long b = o + (long) BLOCK * k;
            float d = f16(b), dmin = f16(b + 2);
            for (int p = 0; p < 4; p++) {
                float d1 = d * scaleMin(b + 4, 2 * p, false), m1 = dmin * scaleMin(b + 4, 2 * p, true);
                float d2 = d * scaleMin(b + 4, 2 * p + 1, false), m2 = dmin * scaleMin(b + 4, 2 * p + 1, true);
                long q = b + 16 + 32L * p;
                int dst = off + 256 * k + 64 * p;
                for (int l = 0; l < 32; l += L) toFloats(low(q + l)).mul(d1).sub(m1).intoArray(out, dst + l);
                for (int l = 0; l < 32; l += L) toFloats(high(q + l)).mul(d2).sub(m2).intoArray(out, dst + 32 + l);
            }
        }
    }

    @Override
    float dot1(long o, float[] x, int xOff) {
        int n = cols;
        FloatVector acc = FloatVector.zero(Simd.S);
        for (int k = 0; k < n / 256; k++) {
            long b = o + (long) BLOCK * k;
            float d = f16(b), dmin = f16(b + 2);
            for (int p = 0; p < 4; p++) {
                float d1 = d * scaleMin(b + 4, 2 * p, false), m1 = dmin * scaleMin(b + 4, 2 * p, true);
                float d2 = d * scaleMin(b + 4, 2 * p + 1, false), m2 = dmin * scaleMin(b + 4, 2 * p + 1, true);
                long q = b + 16 + 32L * p;
                int dst = xOff + 256 * k + 64 * p;
                for (int l = 0; l < 32; l += L) acc = toFloats(low(q + l)).mul(d1).sub(m1)
                        .fma(FloatVector.fromArray(Simd.S, x, dst + l), acc);
                for (int l = 0; l < 32; l += L) acc = toFloats(high(q + l)).mul(d2).sub(m2)
                        .fma(FloatVector.fromArray(Simd.S, x, dst + 32 + l), acc);
            }
        }
        return Simd.hsum(acc);
    }
}
