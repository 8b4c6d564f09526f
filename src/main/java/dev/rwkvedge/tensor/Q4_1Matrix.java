package dev.rwkvedge.tensor;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/** ggml Q4_1: per 32 elements f16 scale d and minimum m, then 16 bytes of nibbles; w = q d + m. */
final class Q4_1Matrix extends PackedMatrix {
    private static final int BLOCK = 20;

    Q4_1Matrix(MemorySegment data, int rows, int cols) {
        super(data, DType.Q4_1, rows, cols, null);
    }

    /** d (low half) and m (high half) of the block at b in one load: each memory access pays a bounds check. */
    private int scaleAndMin(long b) {
        return data.get(I32, b);
    }

    private static float d(int dm) {
        return Float.float16ToFloat((short) dm);
    }

    private static float m(int dm) {
        return Float.float16ToFloat((short) (dm >>> 16));
    }

    @Override
    void widenRow(long o, float[] out, int off) {
        for (int k = 0; k < cols / 32; k++) {
            long b = o + (long) BLOCK * k;
            int dm = scaleAndMin(b);
            float d = d(dm), m = m(dm);
            int dst = off + 32 * k;
            for (int c = 0; c < 16; c += L) toFloats(low(b + 4 + c)).mul(d).add(m).intoArray(out, dst + c);
            for (int c = 0; c < 16; c += L) toFloats(high(b + 4 + c)).mul(d).add(m).intoArray(out, dst + 16 + c);
        }
    }

    @Override
    float dot1(long o, float[] x, int xOff) {
        int n = cols;
        FloatVector acc = FloatVector.zero(Simd.S);
        for (int k = 0; k < n / 32; k++) {
            long b = o + (long) BLOCK * k;
            int dm = scaleAndMin(b);
            float d = d(dm), m = m(dm);
            int dst = xOff + 32 * k;
            for (int c = 0; c < 16; c += L) acc = toFloats(low(b + 4 + c)).mul(d).add(m)
                    .fma(FloatVector.fromArray(Simd.S, x, dst + c), acc);
            for (int c = 0; c < 16; c += L) acc = toFloats(high(b + 4 + c)).mul(d).add(m)
                    .fma(FloatVector.fromArray(Simd.S, x, dst + 16 + c), acc);
        }
        return Simd.hsum(acc);
    }
}
