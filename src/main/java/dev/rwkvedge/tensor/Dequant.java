package dev.rwkvedge.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Widening of every storage type to float32, following ggml's reference dequantizers bit for bit. */
public final class Dequant {
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;

    private Dequant() {}

    public static float bf16(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    public static float f16(short bits) {
        return Float.float16ToFloat(bits);
    }

    /**
     * Widens {@code n} elements starting at element {@code first} (a multiple of the block size for block types)
     * into {@code out[outOff..]}.
     */
    public static void toFloats(DType t, MemorySegment seg, long first, float[] out, int outOff, int n) {
        switch (t) {
            case F32 -> MemorySegment.copy(seg, F32, first * 4, out, outOff, n);
            case F16 -> {
                for (int i = 0; i < n; i++) out[outOff + i] = Float.float16ToFloat(seg.get(I16, (first + i) * 2));
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) out[outOff + i] = bf16(seg.get(I16, (first + i) * 2));
            }
            case I8 -> {
                for (int i = 0; i < n; i++) out[outOff + i] = seg.get(ValueLayout.JAVA_BYTE, first + i);
            }
            default -> blocks(t, seg, first, out, outOff, n);
        }
    }

    private static void blocks(DType t, MemorySegment seg, long first, float[] out, int outOff, int n) {
        int bs = t.blockSize;
        if (first % bs != 0 || n % bs != 0) {
            throw new IllegalArgumentException(t + " access must be whole blocks of " + bs);
        }
        long b0 = first / bs;
        int nb = n / bs;
        for (int b = 0; b < nb; b++) {
            long off = (b0 + b) * t.bytesPerBlock;
            int o = outOff + b * bs;
            switch (t) {
                case Q4_0 -> q4_0(seg, off, out, o);
                case Q4_1 -> q4_1(seg, off, out, o);
                case Q5_0 -> q5_0(seg, off, out, o);
                case Q5_1 -> q5_1(seg, off, out, o);
                case Q8_0 -> q8_0(seg, off, out, o);
                case Q4_K -> q4_k(seg, off, out, o);
                default -> throw new IllegalStateException("not a block type: " + t);
            }
        }
    }

    private static int u8(MemorySegment s, long off) {
        return s.get(ValueLayout.JAVA_BYTE, off) & 0xff;
    }

    private static void q4_0(MemorySegment s, long off, float[] out, int o) {
        float d = f16(s.get(I16, off));
        for (int j = 0; j < 16; j++) {
            int q = u8(s, off + 2 + j);
            out[o + j] = ((q & 15) - 8) * d;
            out[o + j + 16] = ((q >> 4) - 8) * d;
        }
    }

    private static void q4_1(MemorySegment s, long off, float[] out, int o) {
        float d = f16(s.get(I16, off));
        float m = f16(s.get(I16, off + 2));
        for (int j = 0; j < 16; j++) {
            int q = u8(s, off + 4 + j);
            out[o + j] = (q & 15) * d + m;
            out[o + j + 16] = (q >> 4) * d + m;
        }
    }

    private static void q5_0(MemorySegment s, long off, float[] out, int o) {
        float d = f16(s.get(I16, off));
        int qh = s.get(I32, off + 2);
        for (int j = 0; j < 16; j++) {
            int q = u8(s, off + 6 + j);
            int lo = (q & 15) | (((qh >>> j) & 1) << 4);
            int hi = (q >> 4) | (((qh >>> (j + 16)) & 1) << 4);
            out[o + j] = (lo - 16) * d;
            out[o + j + 16] = (hi - 16) * d;
        }
    }

    private static void q5_1(MemorySegment s, long off, float[] out, int o) {
        float d = f16(s.get(I16, off));
        float m = f16(s.get(I16, off + 2));
        int qh = s.get(I32, off + 4);
        for (int j = 0; j < 16; j++) {
            int q = u8(s, off + 8 + j);
            int lo = (q & 15) | (((qh >>> j) & 1) << 4);
            int hi = (q >> 4) | (((qh >>> (j + 16)) & 1) << 4);
            out[o + j] = lo * d + m;
            out[o + j + 16] = hi * d + m;
        }
    }

    private static void q8_0(MemorySegment s, long off, float[] out, int o) {
        float d = f16(s.get(I16, off));
        for (int j = 0; j < 32; j++) out[o + j] = s.get(ValueLayout.JAVA_BYTE, off + 2 + j) * d;
    }

    private static void q4_k(MemorySegment s, long off, float[] out, int o) {
        float d = f16(s.get(I16, off));
        float dmin = f16(s.get(I16, off + 2));
        long sc = off + 4;
        long qs = off + 16;
        for (int c = 0; c < 4; c++) {
            int[] a = scaleMin(s, sc, 2 * c);
            int[] b = scaleMin(s, sc, 2 * c + 1);
            float d1 = d * a[0], m1 = dmin * a[1];
            float d2 = d * b[0], m2 = dmin * b[1];
            for (int l = 0; l < 32; l++) {
                int q = u8(s, qs + 32L * c + l);
                out[o + 64 * c + l] = d1 * (q & 15) - m1;
                out[o + 64 * c + 32 + l] = d2 * (q >> 4) - m2;
            }
        }
    }

    private static int[] scaleMin(MemorySegment s, long sc, int j) {
        if (j < 4) return new int[] {u8(s, sc + j) & 63, u8(s, sc + j + 4) & 63};
        int scale = (u8(s, sc + j + 4) & 15) | ((u8(s, sc + j - 4) >> 6) << 4);
        int min = (u8(s, sc + j + 4) >> 4) | ((u8(s, sc + j) >> 6) << 4);
        return new int[] {scale, min};
    }
}
