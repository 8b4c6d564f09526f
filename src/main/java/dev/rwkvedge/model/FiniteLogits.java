package dev.rwkvedge.model;

import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.io.ModelFormatException;
import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Dequant;
import dev.rwkvedge.tensor.Tensor;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Turns weights damaged into NaN or infinity into an error naming the file and the tensor. safetensors, GGUF and
 * rwkv.cpp files carry no checksums, so such a file opens; scanning every weight at each open would cost a pass over
 * the whole file. Instead the logits of every forward step are checked (vocab additions beside the head's vocab x embd
 * multiplications), and only when they are not finite are the weights scanned, to say which tensor is to blame.
 */
final class FiniteLogits implements Consumer<float[]> {
    /** Elements widened per step of the scan: a multiple of every block size, small enough to stay in cache. */
    private static final int CHUNK = 1 << 14;

    private final Checkpoint checkpoint;

    FiniteLogits(Checkpoint checkpoint) {
        this.checkpoint = checkpoint;
    }

    @Override
    public void accept(float[] logits) {
        if (!finite(logits, logits.length)) throw new UncheckedIOException(damage(checkpoint));
    }

    /** Whether the first n values are all finite: x - x is 0 for a finite x and NaN for infinity or NaN. */
    static boolean finite(float[] v, int n) {
        float a = 0, b = 0, c = 0, d = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            a += v[i] - v[i];
            b += v[i + 1] - v[i + 1];
            c += v[i + 2] - v[i + 2];
            d += v[i + 3] - v[i + 3];
        }
        for (; i < n; i++) a += v[i] - v[i];
        return a + b + c + d == 0;
    }

    /**
     * The first tensor holding a value that is not finite; when every weight is finite (a huge one overflowed on the
     * way), the tensor holding the largest magnitude.
     */
    static ModelFormatException damage(Checkpoint ck) {
        float[] buf = new float[CHUNK];
        String largest = null;
        float largestValue = 0;
        for (Tensor t : ck.tensors().values()) {
            if (t.dtype() == DType.I8) continue; // bytes are always finite; their scales are a tensor of their own
            long n = t.numel();
            for (long first = 0; first < n; first += CHUNK) {
                int len = (int) Math.min(CHUNK, n - first);
                Dequant.toFloats(t.dtype(), t.data(), first, buf, 0, len);
                if (!finite(buf, len)) {
                    for (int i = 0; i < len; i++) {
                        if (!Float.isFinite(buf[i])) {
                            return new ModelFormatException(ck.path(), "tensor " + t.name() + " holds " + buf[i]
                                    + " at element " + (first + i) + ", so the logits are not finite (damaged weights)");
                        }
                    }
                }
                for (int i = 0; i < len; i++) {
                    if (Math.abs(buf[i]) > largestValue) {
                        largestValue = Math.abs(buf[i]);
                        largest = t.name();
                    }
                }
            }
        }
        return new ModelFormatException(ck.path(), "the logits are not finite although every weight in the file is; the largest, "
                + largestValue + ", is in tensor " + largest + " (damaged weights?)");
    }
}
