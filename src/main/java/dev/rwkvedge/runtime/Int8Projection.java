package dev.rwkvedge.runtime;

import dev.rwkvedge.tensor.PackedMatrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * int8 weights with one float scale per row (symmetric, scale = max|row| / 127): a quarter of float32's bytes and
 * half of fp16's, computed without widening the matrix.
 */
public final class Int8Projection implements Projection {
    private final PackedMatrix w;
    private final MemorySegment q;

    private Int8Projection(MemorySegment q, float[] scales, int out, int in) {
        this.w = PackedMatrix.int8(q, scales, out, in);
        this.q = w.data();
    }

    /** Quantizes row-major float weights (out x in). */
    public static Int8Projection quantize(float[] w, int out, int in) {
        MemorySegment q = Arena.ofAuto().allocate((long) out * in, 64);
        float[] scales = new float[out];
        for (int r = 0; r < out; r++) {
            float amax = 0;
            for (int c = 0; c < in; c++) amax = Math.max(amax, Math.abs(w[r * in + c]));
            float s = amax / 127f;
            scales[r] = s;
            float inv = s == 0 ? 0 : 1 / s;
            for (int c = 0; c < in; c++) {
                q.set(ValueLayout.JAVA_BYTE, (long) r * in + c, (byte) Math.round(w[r * in + c] * inv));
            }
        }
        return new Int8Projection(q, scales, out, in);
    }

    /** From stored int8 values and scales (a reloaded export). */
    public static Int8Projection of(MemorySegment q, float[] scales, int out, int in) {
        if (q.byteSize() != (long) out * in || scales.length != out) {
            throw new IllegalArgumentException("int8 projection: " + q.byteSize() + " bytes and " + scales.length
                    + " scales do not make a " + out + "x" + in + " matrix");
        }
        return new Int8Projection(q, scales, out, in);
    }

    public MemorySegment values() {
        return q;
    }

    public float[] scales() {
        return w.rowScales(); // the matrix holds the only copy (a second one here cost 32 KB for a head's tail)
    }

    /** The dequantized weights, row-major (for analysis and dense export). */
    @Override
    public float[] toArray() {
        float[] a = new float[Math.multiplyExact(w.rows(), w.cols())];
        w.dequantize(0, w.rows(), a, 0);
        return a;
    }

    @Override
    public int outDim() {
        return w.rows();
    }

    @Override
    public int inDim() {
        return w.cols();
    }

    @Override
    public void apply(float[] x, int xOff, float[] y, int yOff, Parallel par) {
        par.forRange(w.rows(), w.cols(), (from, to) -> w.matVec(x, xOff, y, yOff, from, to));
    }

    @Override
    public void applyBatch(float[] x, float[] y, int T, Parallel par) {
        if (T == 1) { // one token: stream the rows; a 4 x 4 tile would widen four rows to meet a single vector
            apply(x, 0, y, 0, par);
            return;
        }
        par.forRange((w.rows() + 3) / 4, 4L * w.cols() * T,
                (from, to) -> w.matMat(x, T, y, 4 * from, Math.min(w.rows(), 4 * to)));
    }

    @Override
    public long residentBytes() {
        return w.residentBytes();
    }

    @Override
    public long parameters() {
        return (long) w.rows() * w.cols();
    }
}
