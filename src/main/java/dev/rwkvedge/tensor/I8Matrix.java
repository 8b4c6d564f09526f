package dev.rwkvedge.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;

/** Our int8: signed bytes, one factor per row applied to the finished dot (so the row's bytes widen exactly). */
final class I8Matrix extends PackedMatrix {
    I8Matrix(MemorySegment data, float[] scales, int rows, int cols) {
        super(data, DType.I8, rows, cols, scales);
    }

    @Override
    void dot4(long o0, long o1, long o2, long o3, float[] x, int xOff, float[] y, int y0, int y1, int y2, int y3) {
        int n = cols, upper = n - n % L;
        FloatVector a0 = FloatVector.zero(Simd.S), a1 = a0, a2 = a0, a3 = a0;
        for (int i = 0; i < upper; i += L) {
            FloatVector xv = FloatVector.fromArray(Simd.S, x, xOff + i);
            a0 = toFloats(bytes(o0 + i)).fma(xv, a0);
            a1 = toFloats(bytes(o1 + i)).fma(xv, a1);
            a2 = toFloats(bytes(o2 + i)).fma(xv, a2);
            a3 = toFloats(bytes(o3 + i)).fma(xv, a3);
        }
        float s0 = Simd.hsum(a0), s1 = Simd.hsum(a1), s2 = Simd.hsum(a2), s3 = Simd.hsum(a3);
        for (int i = upper; i < n; i++) {
            float xi = x[xOff + i];
            s0 += data.get(ValueLayout.JAVA_BYTE, o0 + i) * xi;
            s1 += data.get(ValueLayout.JAVA_BYTE, o1 + i) * xi;
            s2 += data.get(ValueLayout.JAVA_BYTE, o2 + i) * xi;
            s3 += data.get(ValueLayout.JAVA_BYTE, o3 + i) * xi;
        }
        y[y0] = s0;
        y[y1] = s1;
        y[y2] = s2;
        y[y3] = s3;
    }
}
