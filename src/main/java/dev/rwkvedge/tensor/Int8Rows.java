package dev.rwkvedge.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

/**
 * Rows of signed bytes anywhere in memory (our int8 matrices, and compression's rows read into a cache): a row's
 * dot in the int8 matrix kernel's order (bytes widened lane for lane, fused into {@link Simd#LANES} accumulators,
 * lanes summed by {@link Simd#hsum}, the tail unfused), and the fused y += a x over bytes.
 */
public final class Int8Rows {
    /** Accumulator lanes of the dot (1 on the scalar path): a sum by neurons keeps one per lane. */
    public static final int LANES = Simd.ON ? Simd.LANES : 1;
    private static final int L = Simd.LANES;

    private Int8Rows() {}

    /** sum_i q[off + i] * x[xOff + i]; the caller applies the row scale. */
    public static float dot(MemorySegment q, long off, float[] x, int xOff, int n) {
        int i = 0;
        FloatVector acc = FloatVector.zero(Simd.S);
        for (; i + L <= n; i += L) acc = floats(q, off + i).fma(FloatVector.fromArray(Simd.S, x, xOff + i), acc);
        float sum = Simd.hsum(acc);
        for (; i < n; i++) sum += q.get(ValueLayout.JAVA_BYTE, off + i) * x[xOff + i];
        return sum;
    }

    /** y += a * x where x is n signed bytes at byte offset off, every element fused. */
    public static void axpy(float a, MemorySegment x, long off, float[] y, int yOff, int n) {
        int i = 0;
        if (Simd.ON) {
            FloatVector av = FloatVector.broadcast(Simd.S, a);
            for (; i + L <= n; i += L) {
                FloatVector yv = FloatVector.fromArray(Simd.S, y, yOff + i);
                floats(x, off + i).fma(av, yv).intoArray(y, yOff + i);
            }
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(a, (float) x.get(ValueLayout.JAVA_BYTE, off + i), y[yOff + i]);
    }

    /** L bytes at off widened to floats (never more read: with 4 lanes the load is masked). */
    private static FloatVector floats(MemorySegment q, long off) {
        ByteVector b = L >= 8 ? ByteVector.fromMemorySegment(Simd.BYTES, q, off, Simd.LE)
                : ByteVector.fromMemorySegment(Simd.BYTES, q, off, Simd.LE, PackedMatrix.FIRST_LANES);
        return PackedMatrix.toFloats(b);
    }
}
