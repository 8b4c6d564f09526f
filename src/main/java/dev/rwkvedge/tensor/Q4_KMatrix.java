package dev.rwkvedge.tensor;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

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

    /** Elements l .. l+L of sub-block j of the super-block at b. */
    private FloatVector chunk(long b, int j, int l, float d, float m) {
        long q = b + 16 + 32L * (j >> 1) + l;
        var v = (j & 1) == 0 ? bytes(q).and((byte) 15) : bytes(q).lanewise(VectorOperators.LSHR, 4);
        return toFloats(v).mul(d).sub(m);
    }

    @Override
    void dot4(long o0, long o1, long o2, long o3, float[] x, int xOff, float[] y, int y0, int y1, int y2, int y3) {
        FloatVector a0 = FloatVector.zero(Simd.S), a1 = a0, a2 = a0, a3 = a0;
        int blocks = cols / 256;
        for (int k = 0; k < blocks; k++) {
            long b = (long) BLOCK * k;
            long b0 = o0 + b, b1 = o1 + b, b2 = o2 + b, b3 = o3 + b;
            float d0 = f16(b0), d1 = f16(b1), d2 = f16(b2), d3 = f16(b3);
            float n0 = f16(b0 + 2), n1 = f16(b1 + 2), n2 = f16(b2 + 2), n3 = f16(b3 + 2);
            for (int j = 0; j < 8; j++) {
                float s0 = d0 * scaleMin(b0 + 4, j, false), m0 = n0 * scaleMin(b0 + 4, j, true);
                float s1 = d1 * scaleMin(b1 + 4, j, false), m1 = n1 * scaleMin(b1 + 4, j, true);
                float s2 = d2 * scaleMin(b2 + 4, j, false), m2 = n2 * scaleMin(b2 + 4, j, true);
                float s3 = d3 * scaleMin(b3 + 4, j, false), m3 = n3 * scaleMin(b3 + 4, j, true);
                int xb = xOff + 256 * k + 32 * j;
                for (int l = 0; l < 32; l += L) {
                    FloatVector xv = FloatVector.fromArray(Simd.S, x, xb + l);
                    a0 = chunk(b0, j, l, s0, m0).fma(xv, a0);
                    a1 = chunk(b1, j, l, s1, m1).fma(xv, a1);
                    a2 = chunk(b2, j, l, s2, m2).fma(xv, a2);
                    a3 = chunk(b3, j, l, s3, m3).fma(xv, a3);
                }
            }
        }
        y[y0] = Simd.hsum(a0);
        y[y1] = Simd.hsum(a1);
        y[y2] = Simd.hsum(a2);
        y[y3] = Simd.hsum(a3);
    }
}
