package dev.rwkvedge.compress.resident;

import dev.rwkvedge.tensor.Int8Rows;
import java.lang.foreign.MemorySegment;

/** The int8 loops of rows read into a cache; the vector code is the tensor package's ({@link Int8Rows}). */
public final class Int8Kernels {
    /** Accumulator lanes of the dot kernels (1 on the scalar path): a V sum by neurons keeps one per lane. */
    public static final int LANES = Int8Rows.LANES;

    private Int8Kernels() {}

    /** sum_i q[off + i] * x[xOff + i]; the caller applies the row scale. */
    public static float dot(MemorySegment q, long off, float[] x, int xOff, int n) {
        return Int8Rows.dot(q, off, x, xOff, n);
    }

    /** y += a * x where x is n signed bytes at byte offset off, every element fused. */
    public static void axpy(float a, MemorySegment x, long off, float[] y, int yOff, int n) {
        Int8Rows.axpy(a, x, off, y, yOff, n);
    }
}
