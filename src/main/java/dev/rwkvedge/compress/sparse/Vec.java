package dev.rwkvedge.compress.sparse;

import dev.rwkvedge.runtime.Kernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one kernel the runtime's {@link Kernels} lacks: y += a * x (over heap or native x). The sparse channel mix
 * adds one V column per active neuron, and the predictor training accumulates gradients the same way.
 */
final class Vec {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Bytes in the shape that widens lane for lane into S. */
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(S.length() * 8));
    /** Lanes of the runtime's dot kernels (1 on the scalar path): the sparse V sum keeps one accumulator per lane. */
    static final int LANES = Kernels.simd() ? S.length() : 1;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private Vec() {}

    static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        axpy(a, MemorySegment.ofArray(x), 4L * xOff, y, yOff, n);
    }

    /** y += a * x where x is n floats at byte offset {@code off} of a native segment. */
    static void axpy(float a, MemorySegment x, long off, float[] y, int yOff, int n) {
        int i = 0;
        if (Kernels.simd()) {
            int upper = n - n % S.length();
            FloatVector av = FloatVector.broadcast(S, a);
            for (; i < upper; i += S.length()) {
                FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
                FloatVector.fromMemorySegment(S, x, off + 4L * i, LE).fma(av, yv).intoArray(y, yOff + i);
            }
        }
        // Fused like the vector lanes, so an element's result does not depend on where a range split puts it.
        for (; i < n; i++) y[yOff + i] = Math.fma(a, x.get(F, off + 4L * i), y[yOff + i]);
    }

    /** y += a * x where x is n signed bytes at byte offset {@code off}, fused like {@link #axpy}. */
    static void axpyI8(float a, MemorySegment x, long off, float[] y, int yOff, int n) {
        int i = 0;
        if (Kernels.simd()) {
            int upper = n - n % S.length();
            FloatVector av = FloatVector.broadcast(S, a);
            for (; i < upper; i += S.length()) {
                FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
                FloatVector xv = (FloatVector) ByteVector.fromMemorySegment(B, x, off + i, LE)
                        .convertShape(VectorOperators.B2F, S, 0);
                xv.fma(av, yv).intoArray(y, yOff + i);
            }
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(a, (float) x.get(ValueLayout.JAVA_BYTE, off + i), y[yOff + i]);
    }
}
