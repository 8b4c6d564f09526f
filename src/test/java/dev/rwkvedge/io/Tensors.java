package dev.rwkvedge.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rwkvedge.tensor.Tensor;
import java.util.Map;
import java.util.TreeSet;

/** Comparisons shared by the reader and writer tests. */
final class Tensors {
    static final String BLINKDL = "derived/blinkdl/";
    static final String TESTS = "rwkv.cpp/tests/";
    static final String GGUF = "derived/gguf/";

    private Tensors() {}

    static void assertSameNamesAndShapes(Map<String, Tensor> want, Map<String, Tensor> got) {
        assertEquals(new TreeSet<>(want.keySet()), new TreeSet<>(got.keySet()));
        for (Tensor w : want.values()) assertArrayEquals(w.shape(), got.get(w.name()).shape(), w.name());
    }

    /** Largest |a - b| over the two tensors' float values. */
    static double maxAbsDiff(Tensor a, Tensor b) {
        float[] x = a.toFloats();
        float[] y = b.toFloats();
        assertEquals(x.length, y.length, a.name());
        double m = 0;
        for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs((double) x[i] - y[i]));
        return m;
    }

    /** Largest difference in units of the last place, comparing float bit patterns. */
    static long maxUlps(Tensor a, Tensor b) {
        float[] x = a.toFloats();
        float[] y = b.toFloats();
        long m = 0;
        for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs((long) Float.floatToIntBits(x[i]) - Float.floatToIntBits(y[i])));
        return m;
    }

    static boolean bytesEqual(Tensor a, Tensor b) {
        return a.dtype() == b.dtype() && a.data().mismatch(b.data()) < 0;
    }
}
