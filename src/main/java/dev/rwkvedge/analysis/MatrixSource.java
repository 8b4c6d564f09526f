package dev.rwkvedge.analysis;

import dev.rwkvedge.tensor.Dequant;
import dev.rwkvedge.tensor.Tensor;

/**
 * A rows x cols window of a stored tensor, read on demand so that only the matrices being analysed are on the heap.
 * The window starts at element {@code first} and takes {@code cols} consecutive elements from each source row of
 * {@code stride} elements, starting at column {@code colOffset} (a column slice such as one mix of v6's maa_w1).
 */
public record MatrixSource(Tensor tensor, long first, int rows, int cols, int stride, int colOffset) {

    public MatrixSource {
        if (colOffset < 0 || colOffset + cols > stride) {
            throw new IllegalArgumentException(tensor.name() + ": columns " + colOffset + ".." + (colOffset + cols)
                    + " outside a row of " + stride);
        }
        if (first + (long) rows * stride > tensor.numel()) {
            throw new IllegalArgumentException(tensor.name() + ": window past the end of the tensor");
        }
    }

    /** A whole 2-D tensor. */
    public static MatrixSource of(Tensor t) {
        if (t.rank() != 2) throw new IllegalArgumentException(t.name() + ": expected a matrix, got " + t.shapeString());
        int rows = Math.toIntExact(t.shape()[0]), cols = Math.toIntExact(t.shape()[1]);
        return new MatrixSource(t, 0, rows, cols, cols, 0);
    }

    public long elements() {
        return (long) rows * cols;
    }

    /** Rows [from, from + count) into {@code out} (row-major, count x cols). */
    public void readRows(int from, int count, float[] out) {
        if (colOffset == 0 && cols == stride) {
            // contiguous rows also work for block-quantized tensors, which can only be widened in whole blocks
            Dequant.toFloats(tensor.dtype(), tensor.data(), first + (long) from * stride, out, 0, count * cols);
            return;
        }
        float[] row = new float[stride];
        for (int r = 0; r < count; r++) {
            Dequant.toFloats(tensor.dtype(), tensor.data(), first + (long) (from + r) * stride, row, 0, stride);
            System.arraycopy(row, colOffset, out, r * cols, cols);
        }
    }

    /** The whole window, row-major. */
    public float[] read() {
        if (elements() > Integer.MAX_VALUE - 8) throw new IllegalStateException(tensor.name() + " too large for one array");
        float[] out = new float[(int) elements()];
        readRows(0, rows, out);
        return out;
    }
}
