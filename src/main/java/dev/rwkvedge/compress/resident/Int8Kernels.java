package dev.rwkvedge.compress.resident;

import dev.rwkvedge.tensor.Simd;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The int8 loops of rows read into a cache (which the packed matrices of the tensor package do not reach): a row's
 * dot in exactly the order of the int8 matrix kernel (bytes widened lane for lane, fused into {@link Simd#LANES}
 * accumulators, lanes summed by {@link Simd#hsum}, the tail unfused), and the fused y += a x over bytes.
 */
public final class Int8Kernels {
    private static final VectorSpecies<Float> S = Simd.S;
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(S.length() * 8));
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Accumulator lanes of the dot kernels (1 on the scalar path): a V sum by neurons keeps one per lane. */
    public static final int LANES = Simd.ON ? Simd.LANES : 1;

    private Int8Kernels() {}

    /** sum_i q[off + i] * x[xOff + i]; the caller applies the row scale. */
    public static float dot(MemorySegment q, long off, float[] x, int xOff, int n) {
        int i = 0;
        FloatVector acc = FloatVector.zero(S);
        for (; i + S.length() <= n; i += S.length()) {
            FloatVector f = (FloatVector) ByteVector.fromMemorySegment(B, q, off + i, LE).convertShape(VectorOperators.B2F, S, 0);
            acc = f.fma(FloatVector.fromArray(S, x, xOff + i), acc);
        }
        float sum = Simd.hsum(acc);
        for (; i < n; i++) sum += q.get(ValueLayout.JAVA_BYTE, off + i) * x[xOff + i];
        return sum;
    }

    /** y += a * x where x is n signed bytes at byte offset off, every element fused. */
    public static void axpy(float a, MemorySegment x, long off, float[] y, int yOff, int n) {
        int i = 0;
        if (Simd.ON) {
            FloatVector av = FloatVector.broadcast(S, a);
            for (; i + S.length() <= n; i += S.length()) {
                FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
                FloatVector xv = (FloatVector) ByteVector.fromMemorySegment(B, x, off + i, LE)
                        .convertShape(VectorOperators.B2F, S, 0);
                xv.fma(av, yv).intoArray(y, yOff + i);
            }
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(a, (float) x.get(ValueLayout.JAVA_BYTE, off + i), y[yOff + i]);
    }
}
