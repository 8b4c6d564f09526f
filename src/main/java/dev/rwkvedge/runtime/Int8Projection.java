package dev.rwkvedge.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * int8 weights with one float scale per row (symmetric, scale = max|row| / 127): a quarter of float32's bytes and
 * half of fp16's, computed without widening the matrix.
 */
public final class Int8Projection implements Projection {
    private final MemorySegment q;
    private final float[] scales;
    private final int out, in;

    private Int8Projection(MemorySegment q, float[] scales, int out, int in) {
        this.q = q;
        this.scales = scales;
        this.out = out;
        this.in = in;
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
        return scales.clone();
    }

    /** The dequantized weights, row-major (for analysis and dense export). */
    @Override
    public float[] toArray() {
        float[] w = new float[out * in];
        for (int r = 0; r < out; r++) {
            for (int c = 0; c < in; c++) w[r * in + c] = q.get(ValueLayout.JAVA_BYTE, (long) r * in + c) * scales[r];
        }
        return w;
    }

    @Override
    public int outDim() {
        return out;
    }

    @Override
    public int inDim() {
        return in;
    }

    @Override
    public void apply(float[] x, int xOff, float[] y, int yOff, Parallel par) {
        par.forRange(out, in, (from, to) -> {
            for (int r = from; r < to; r++) y[yOff + r] = Kernels.dotI8(q, (long) r * in, x, xOff, in) * scales[r];
        });
    }

    @Override
    public void applyBatch(float[] x, float[] y, int T, Parallel par) {
        par.forRange(out, (long) in * T, (from, to) -> {
            for (int r = from; r < to; r++) {
                for (int t = 0; t < T; t++) y[t * out + r] = Kernels.dotI8(q, (long) r * in, x, t * in, in) * scales[r];
            }
        });
    }

    @Override
    public long residentBytes() {
        return (long) out * in + 4L * out;
    }

    @Override
    public long parameters() {
        return (long) out * in;
    }
}
