package dev.rwkvedge.tensor;

import java.lang.foreign.MemorySegment;

/**
 * IEEE half-precision rows. A row widens in a plain loop of {@link Float#float16ToFloat} (the floats {@link Dequant}
 * gives), which C2 vectorises with the hardware conversion (vcvtph2ps) at 15 to 24 G elements per CPU-second; the
 * Vector API has no half-to-float conversion, and the bit manipulation written with it managed 3.6. So rows are
 * widened into a per-thread scratch (four at a time, a few KiB that stay in L1) and meet x in the float32 kernels:
 * the result is the float32 dot of the widened row, bit for bit, as for every storage type. (bfloat16 needs only a
 * shift, which the Vector API does fused into the dot faster than a widened copy: {@link BF16Matrix}.)
 */
final class F16Matrix extends PackedMatrix {
    F16Matrix(MemorySegment data, int rows, int cols) {
        super(data, DType.F16, rows, cols, null);
    }

    @Override
    void widenRow(long o, float[] out, int off) {
        for (int i = 0; i < cols; i++) out[off + i] = Float.float16ToFloat(data.get(I16, o + 2L * i));
    }

    @Override
    float dot1(long o, float[] x, int xOff) {
        float[] w = Scratch.get().rows(cols);
        widenRow(o, w, 0);
        return Simd.dot(w, 0, x, xOff, cols);
    }

    /** Four rows widened, then four multiply-add chains over them, as float32 rows are read in place. */
    @Override
    void rowDots(float[] x, int xOff, float[] y, int yOff, int from, int to) {
        float[] w = Scratch.get().rows(4 * cols);
        for (int r = from; r < to; r += 4) {
            int n = Math.min(4, to - r);
            for (int k = 0; k < n; k++) widenRow((r + k) * rowBytes, w, k * cols);
            int r1 = Math.min(r + 1, to - 1), r2 = Math.min(r + 2, to - 1), r3 = Math.min(r + 3, to - 1);
            Simd.dot4(w, 0, (r1 - r) * cols, (r2 - r) * cols, (r3 - r) * cols, x, xOff, cols, y, yOff + r,
                    yOff + r1, yOff + r2, yOff + r3);
        }
    }
}
