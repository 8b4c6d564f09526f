package dev.rwkvedge.compress.sparse;

import dev.rwkvedge.runtime.Kernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one kernel the runtime's {@link Kernels} lacks: y += a * x (over heap or native x). The sparse channel mix
 * adds one V column per active neuron, and the predictor training accumulates gradients the same way.
 */
final class Vec {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
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
}
