package dev.rwkvedge.io;

import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;

/** The few layout changes the formats need: axis swaps, row slices and row concatenation. */
final class TensorOps {
    private TensorOps() {}

    /**
     * Swaps the last two axes. Element types keep their dtype (the bytes are only permuted); block-quantized data is
     * dequantized to F32 first, because its blocks run along the axis that moves.
     */
    static Tensor swapLastTwo(Tensor t, String name) {
        long[] s = t.shape();
        if (s.length < 2) throw new IllegalArgumentException("tensor " + t.name() + " " + t.shapeString() + " has no two axes to swap");
        int r = Math.toIntExact(s[s.length - 2]);
        int c = Math.toIntExact(s[s.length - 1]);
        long[] out = s.clone();
        out[s.length - 2] = c;
        out[s.length - 1] = r;
        int[] from = swappedOrder(Math.toIntExact(t.numel()), r, c);
        MemorySegment seg = switch (t.dtype()) {
            case F16, BF16 -> {
                short[] a = t.data().toArray(ValueLayout.JAVA_SHORT_UNALIGNED);
                short[] b = new short[a.length];
                for (int k = 0; k < b.length; k++) b[k] = a[from[k]];
                yield MemorySegment.ofArray(b);
            }
            case I8 -> {
                byte[] a = t.data().toArray(ValueLayout.JAVA_BYTE);
                byte[] b = new byte[a.length];
                for (int k = 0; k < b.length; k++) b[k] = a[from[k]];
                yield MemorySegment.ofArray(b);
            }
            default -> {
                float[] a = t.toFloats();
                float[] b = new float[a.length];
                for (int k = 0; k < b.length; k++) b[k] = a[from[k]];
                yield MemorySegment.ofArray(b);
            }
        };
        DType dt = t.dtype().isBlockQuantized() ? DType.F32 : t.dtype();
        return new Tensor(name, dt, out, seg);
    }

    /** For each element of the swapped layout, its index in the original (r, c) planes. */
    private static int[] swappedOrder(int n, int r, int c) {
        int[] from = new int[n];
        int plane = r * c;
        for (int base = 0; base < n; base += plane) {
            for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) from[base + j * r + i] = base + i * c + j;
        }
        return from;
    }

    /** Row {@code i} of a tensor whose first axis counts rows, as a view with the given shape. */
    static Tensor row(Tensor t, int i, String name, long... shape) {
        long rows = t.shape()[0];
        long bytes = t.data().byteSize() / rows;
        return new Tensor(name, t.dtype(), shape, t.data().asSlice(i * bytes, bytes));
    }

    /** Stacks same-typed tensors along a new first axis, on the heap. */
    static Tensor stack(List<Tensor> parts, String name, long... shape) {
        DType dt = parts.getFirst().dtype();
        long each = parts.getFirst().data().byteSize();
        byte[] all = new byte[Math.toIntExact(each * parts.size())];
        MemorySegment out = MemorySegment.ofArray(all);
        for (int i = 0; i < parts.size(); i++) {
            Tensor p = parts.get(i);
            if (p.dtype() != dt || p.data().byteSize() != each) {
                throw new IllegalArgumentException("cannot stack " + p + " with " + parts.getFirst() + " into " + name);
            }
            MemorySegment.copy(p.data(), 0, out, i * each, each);
        }
        return new Tensor(name, dt, shape, out);
    }

    static Tensor reshape(Tensor t, String name, long... shape) {
        if (Tensor.numel(shape) != t.numel()) {
            throw new IllegalArgumentException("tensor " + t.name() + " " + t.shapeString() + " cannot become "
                    + name + " " + Arrays.toString(shape));
        }
        return new Tensor(name, t.dtype(), shape, t.data());
    }

    /** Same bytes under the same name, shape and dtype: what a writer's read-back check requires. */
    static String difference(Tensor want, Tensor got) {
        if (got == null) return "tensor " + want.name() + " is missing";
        if (want.dtype() != got.dtype()) return "tensor " + want.name() + " has dtype " + got.dtype() + ", not " + want.dtype();
        if (!Arrays.equals(want.shape(), got.shape())) {
            return "tensor " + want.name() + " has shape " + got.shapeString() + ", not " + want.shapeString();
        }
        long at = want.data().mismatch(got.data());
        return at < 0 ? null : "tensor " + want.name() + " differs at byte " + at;
    }
}
