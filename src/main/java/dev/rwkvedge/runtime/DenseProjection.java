package dev.rwkvedge.runtime;

import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Dequant;
import dev.rwkvedge.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A float32 matrix in native memory: the mapped file itself when it is stored as F32, otherwise a widened
 * off-heap copy (so the heap never holds the weights).
 */
public final class DenseProjection implements Projection {
    private final MemorySegment w;
    private final int out, in;
    private final float[] bias;
    private final DType sourceType;

    private DenseProjection(MemorySegment w, int out, int in, float[] bias, DType sourceType) {
        this.w = w;
        this.out = out;
        this.in = in;
        this.bias = bias;
        this.sourceType = sourceType;
    }

    /** From a tensor of shape (out, in) in any storage type. */
    public static DenseProjection of(Tensor t) {
        return of(t, null);
    }

    public static DenseProjection of(Tensor t, float[] bias) {
        if (t.rank() != 2) throw new IllegalArgumentException(t.name() + ": expected a matrix, got " + t.shapeString());
        int out = Math.toIntExact(t.shape()[0]);
        int in = Math.toIntExact(t.shape()[1]);
        return new DenseProjection(asNativeF32(t), out, in, bias, t.dtype());
    }

    /** From row-major heap values (out x in), e.g. a transposed or reconstructed matrix. */
    public static DenseProjection of(float[] rowMajor, int out, int in) {
        MemorySegment seg = Arena.ofAuto().allocate(4L * rowMajor.length, 64);
        MemorySegment.copy(rowMajor, 0, seg, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, rowMajor.length);
        return new DenseProjection(seg, out, in, null, DType.F32);
    }

    static MemorySegment asNativeF32(Tensor t) {
        if (t.dtype() == DType.F32 && t.data().isNative()) return t.data();
        long n = t.numel();
        MemorySegment seg = Arena.ofAuto().allocate(4 * n, 64);
        int rowLen = Math.toIntExact(t.cols());
        float[] row = new float[rowLen];
        for (long r = 0; r < t.rows(); r++) {
            Dequant.toFloats(t.dtype(), t.data(), r * rowLen, row, 0, rowLen);
            MemorySegment.copy(row, 0, seg, ValueLayout.JAVA_FLOAT_UNALIGNED, 4 * r * rowLen, rowLen);
        }
        return seg;
    }

    /** The weights as a row-major heap array (for analysis and compression, not for the hot path). */
    @Override
    public float[] toArray() {
        float[] a = new float[out * in];
        MemorySegment.copy(w, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, a, 0, a.length);
        return a;
    }

    public DType sourceType() {
        return sourceType;
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
        final long rowBytes = 4L * in;
        par.forRange(out, in, (from, to) -> {
            for (int r = from; r < to; r++) {
                float s = Kernels.dot(w, r * rowBytes, x, xOff, in);
                y[yOff + r] = bias == null ? s : s + bias[r];
            }
        });
    }

    @Override
    public void applyBatch(float[] x, float[] y, int T, Parallel par) {
        if (T == 1) {
            apply(x, 0, y, 0, par);
            return;
        }
        final long rowBytes = 4L * in;
        final int T4 = Kernels.SIMD ? T - T % 4 : 0;
        final int blocks = (out + 3) / 4;
        par.forRange(blocks, 4L * in * T, (from, to) -> {
            float[] scratch = Kernels.tileScratch();
            for (int blk = from; blk < to; blk++) {
                int r0 = 4 * blk;
                if (r0 + 4 <= out) {
                    for (int t = 0; t < T4; t += 4) {
                        Kernels.dot4x4(w, r0 * rowBytes, rowBytes, x, in, t, y, r0, out, scratch);
                    }
                }
                for (int r = r0; r < Math.min(out, r0 + 4); r++) {
                    int done = r0 + 4 <= out ? T4 : 0;
                    for (int t = done; t < T; t++) y[t * out + r] = Kernels.dot(w, r * rowBytes, x, t * in, in);
                    if (bias != null) for (int t = 0; t < T; t++) y[t * out + r] += bias[r];
                }
            }
        });
    }

    @Override
    public long residentBytes() {
        return 4L * out * in + (bias == null ? 0 : 4L * out);
    }

    @Override
    public long parameters() {
        return (long) out * in + (bias == null ? 0 : out);
    }
}
