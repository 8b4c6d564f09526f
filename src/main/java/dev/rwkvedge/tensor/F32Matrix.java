package dev.rwkvedge.tensor;

import java.lang.foreign.MemorySegment;

/** float32 rows, read in place. */
final class F32Matrix extends PackedMatrix {
    F32Matrix(MemorySegment data, int rows, int cols) {
        super(data, DType.F32, rows, cols, null);
    }

    @Override
    void dot4(long o0, long o1, long o2, long o3, float[] x, int xOff, float[] y, int y0, int y1, int y2, int y3) {
        Simd.dot4(data, o0, o1, o2, o3, x, xOff, cols, y, y0, y1, y2, y3);
    }
}
