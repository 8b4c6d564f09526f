package dev.rwkvedge.tensor;

import java.lang.foreign.MemorySegment;

/** float32 rows, read in place. */
final class F32Matrix extends PackedMatrix {
    F32Matrix(MemorySegment data, int rows, int cols) {
        super(data, DType.F32, rows, cols, null);
    }

    /** Four rows per pass: four independent multiply-add chains while four streams run through memory. */
    @Override
    void rowDots(float[] x, int xOff, float[] y, int yOff, int from, int to) {
        for (int r = from; r < to; r += 4) {
            int r1 = Math.min(r + 1, to - 1), r2 = Math.min(r + 2, to - 1), r3 = Math.min(r + 3, to - 1);
            Simd.dot4(data, r * rowBytes, r1 * rowBytes, r2 * rowBytes, r3 * rowBytes, x, xOff, cols, y, yOff + r,
                    yOff + r1, yOff + r2, yOff + r3);
        }
    }

    @Override
    float dot1(long o, float[] x, int xOff) {
        return Simd.dot(data, o, x, xOff, cols);
    }

    @Override
    void widenRow(long o, float[] out, int off) {
        MemorySegment.copy(data, Simd.F, o, out, off, cols);
    }
}
