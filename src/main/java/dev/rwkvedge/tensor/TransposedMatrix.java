package dev.rwkvedge.tensor;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The projection M^T of a matrix M a file stores as (in x out) for x @ M (v6/v7's LoRA factors), computed on M's
 * stored rows: no transposed float32 copy is made. Output j is sum_i x[i] M[i][j], accumulated exactly as
 * {@link Simd#dot} accumulates the dot of M^T's row j with x: lane class k = i mod LANES gets the products of its
 * i in increasing order (one fused multiply-add each), the classes meet in {@link Simd#hsum}'s pairwise order, and
 * the leftover i are added one by one. Here the classes are L vectors of accumulators over L outputs at once, so a
 * stored row is read once, front to back, and the result has the bits the transposed copy gave.
 */
final class TransposedMatrix implements StoredMatrix {
    private static final int L = Simd.LANES;

    /** M as stored: rows = this matrix's inputs, cols = its outputs. */
    private final PackedMatrix m;

    TransposedMatrix(PackedMatrix m) {
        if (m.scales != null) throw new IllegalArgumentException("a transposed matrix with row scales");
        this.m = m;
    }

    @Override
    public int rows() {
        return m.cols;
    }

    @Override
    public int cols() {
        return m.rows;
    }

    @Override
    public DType dtype() {
        return m.type;
    }

    @Override
    public MemorySegment data() {
        return m.data();
    }

    @Override
    public long residentBytes() {
        return m.residentBytes();
    }

    @Override
    public void matVec(float[] x, int xOff, float[] y, int yOff, int from, int to) {
        if (from >= to) return;
        if (!Simd.ON) {
            matVecScalar(x, xOff, y, yOff, from, to);
            return;
        }
        int n = m.rows, width = to - from, upper = n - n % L;
        // each class's accumulators are padded to whole vectors, so only a row's last partial vector needs a mask
        int padded = (width + L - 1) / L * L, full = width - width % L;
        PackedMatrix.Scratch s = PackedMatrix.Scratch.get();
        float[] acc = s.sums(L * padded);
        VectorMask<Float> last = Simd.S.indexInRange(full, width);
        boolean inPlace = m.type == DType.F32;
        for (int i = 0; i < n; i++) {
            MemorySegment w;
            long o;
            if (inPlace) {
                w = m.data;
                o = i * m.rowBytes + 4L * from;
            } else {
                float[] row = s.rows(m.cols);
                m.widenRow(i * m.rowBytes, row, 0);
                w = s.offHeap(row, m.cols);
                o = 4L * from;
            }
            FloatVector xv = FloatVector.broadcast(Simd.S, x[xOff + i]);
            if (i < upper) {
                int base = (i % L) * padded;
                for (int j = 0; j < full; j += L) {
                    FloatVector.fromMemorySegment(Simd.S, w, o + 4L * j, Simd.LE)
                            .fma(xv, FloatVector.fromArray(Simd.S, acc, base + j)).intoArray(acc, base + j);
                }
                if (full < width) {
                    FloatVector.fromMemorySegment(Simd.S, w, o + 4L * full, Simd.LE, last)
                            .fma(xv, FloatVector.fromArray(Simd.S, acc, base + full)).intoArray(acc, base + full);
                }
            } else {
                // the leftover rows, after the classes met, one rounded product and sum each, as Simd.dot adds them
                if (i == upper) foldClasses(acc, padded);
                for (int j = 0; j < full; j += L) {
                    FloatVector.fromArray(Simd.S, acc, j)
                            .add(FloatVector.fromMemorySegment(Simd.S, w, o + 4L * j, Simd.LE).mul(xv))
                            .intoArray(acc, j);
                }
                if (full < width) {
                    FloatVector.fromArray(Simd.S, acc, full)
                            .add(FloatVector.fromMemorySegment(Simd.S, w, o + 4L * full, Simd.LE, last).mul(xv))
                            .intoArray(acc, full);
                }
            }
        }
        if (upper == n) foldClasses(acc, padded);
        System.arraycopy(acc, 0, y, yOff + from, width);
    }

    /** Class k += class k + h for h = L/2 .. 1: {@link Simd#hsum}'s tree, lane by lane; the sum lands in class 0. */
    private static void foldClasses(float[] acc, int padded) {
        for (int h = L / 2; h >= 1; h /= 2) {
            for (int k = 0; k < h; k++) {
                int a = k * padded, b = (k + h) * padded;
                for (int j = 0; j < padded; j += L) {
                    FloatVector.fromArray(Simd.S, acc, a + j).add(FloatVector.fromArray(Simd.S, acc, b + j))
                            .intoArray(acc, a + j);
                }
            }
        }
    }

    /** The scalar twin: each output summed in double over i in order, as {@link PackedMatrix}'s scalar dot does. */
    private void matVecScalar(float[] x, int xOff, float[] y, int yOff, int from, int to) {
        PackedMatrix.Scratch s = PackedMatrix.Scratch.get();
        double[] sum = s.wide(to - from);
        float[] row = s.rows(m.cols);
        for (int i = 0; i < m.rows; i++) {
            m.widen(i, row, 0);
            double xi = x[xOff + i];
            for (int j = from; j < to; j++) sum[j - from] += row[j] * xi;
        }
        for (int j = from; j < to; j++) y[yOff + j] = (float) sum[j - from];
    }

    @Override
    public void matMat(float[] x, int T, float[] y, int from, int to) {
        // a LoRA factor is small enough to stay in cache across the tokens
        for (int t = 0; t < T; t++) matVec(x, t * m.rows, y, t * m.cols, from, to);
    }

    @Override
    public void dequantize(int r0, int n, float[] out, int off) {
        float[] row = PackedMatrix.Scratch.get().rows(m.cols);
        for (int i = 0; i < m.rows; i++) {
            m.widen(i, row, 0);
            for (int j = 0; j < n; j++) out[off + j * m.rows + i] = row[r0 + j];
        }
    }
}
