package dev.rwkvedge.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A named tensor in PyTorch order (row-major, last axis contiguous) over raw little-endian storage,
 * usually a slice of a memory-mapped file.
 */
public record Tensor(String name, DType dtype, long[] shape, MemorySegment data) {

    public Tensor {
        shape = shape.clone();
        long n = numel(shape);
        long need = dtype.byteSize(n);
        if (need < 0) {
            throw new IllegalArgumentException("tensor " + name + ": " + n + " elements is not a whole number of "
                    + dtype + " blocks of " + dtype.blockSize);
        }
        if (data.byteSize() != need) {
            throw new IllegalArgumentException("tensor " + name + ": shape " + Arrays.toString(shape) + " as " + dtype
                    + " needs " + need + " bytes but has " + data.byteSize());
        }
    }

    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long numel() {
        return numel(shape);
    }

    public int rank() {
        return shape.length;
    }

    /** Size of the contiguous (last) axis; 1 for a scalar. */
    public long cols() {
        return shape.length == 0 ? 1 : shape[shape.length - 1];
    }

    /** Product of all axes but the last. */
    public long rows() {
        return cols() == 0 ? 0 : numel() / cols();
    }

    public long[] shape() {
        return shape.clone();
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    /** All elements widened to float32 on the heap; for vectors and small matrices. */
    public float[] toFloats() {
        long n = numel();
        if (n > Integer.MAX_VALUE - 8) throw new IllegalStateException("tensor " + name + " too large for one array");
        float[] out = new float[(int) n];
        Dequant.toFloats(dtype, data, 0, out, 0, (int) n);
        return out;
    }

    public Tensor withName(String newName) {
        return new Tensor(newName, dtype, shape, data);
    }

    /** Same storage viewed with another shape of the same element count. */
    public Tensor reshape(long... newShape) {
        if (numel(newShape) != numel()) {
            throw new IllegalArgumentException("tensor " + name + ": cannot reshape " + shapeString() + " to "
                    + Arrays.toString(newShape));
        }
        return new Tensor(name, dtype, newShape, data);
    }

    public static Tensor ofFloats(String name, float[] values, long... shape) {
        MemorySegment seg = MemorySegment.ofArray(values.clone());
        return new Tensor(name, DType.F32, shape, seg);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + shapeString();
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
