package dev.rwkvedge.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Our int8: signed bytes, one factor per row applied to the finished dot (so the row's bytes widen exactly). */
final class I8Matrix extends PackedMatrix {
    I8Matrix(MemorySegment data, float[] scales, int rows, int cols) {
        super(data, DType.I8, rows, cols, scales);
    }

    @Override
    void widenRow(long o, float[] out, int off) {
        int i = 0;
        for (; i + L <= cols; i += L) toFloats(bytes(o + i)).intoArray(out, off + i);
        for (; i < cols; i++) out[off + i] = data.get(ValueLayout.JAVA_BYTE, o + i);
    }

    @Override
    float dot1(long o, float[] x, int xOff) {
        return Int8Rows.dot(data, o, x, xOff, cols);
    }
}
