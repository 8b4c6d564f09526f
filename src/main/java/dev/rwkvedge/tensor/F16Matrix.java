package dev.rwkvedge.tensor;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * IEEE half-precision rows. Decode reads a half's bits as a float without converting them: sign-extended to 32 bits
 * and shifted left by 13, a half's exponent and mantissa land in a float's, so the float is the half's value times
 * 2^-112 exactly (subnormal halves become subnormal floats, still exact). Multiplying by x * 2^112 instead of x
 * gives each product, and so every fused multiply-add, exactly the bits of the widened row's dot: three integer
 * operations a vector instead of a round trip through memory (which held decode at float32's speed while it read
 * half the bytes). Two cases go the widening way: activations of 2^15 or more (x * 2^112 would overflow) and matrices
 * holding an infinity or NaN (whose exponent the trick reads as an ordinary number). The matrix is scanned for those
 * once, when decode first needs it, rather than in the kernel: the check per vector cost a sixth of decode's speed.
 *
 * <p>The widening way: a plain loop of {@link Float#float16ToFloat} (the floats {@link Dequant} gives), which C2
 * vectorises with the hardware conversion, into a per-thread scratch that stays in L1, then the float32 kernels.
 */
final class F16Matrix extends PackedMatrix {
    private static final VectorSpecies<Float> S = Simd.S;
    private static final VectorSpecies<Short> HALVES =
            VectorSpecies.of(short.class, VectorShape.forBitSize(Simd.LANES * Short.SIZE));
    private static final VectorSpecies<Integer> INTS = S.withLanes(int.class);
    /** The bits a half keeps after the shift: its sign (bit 31) and exponent and mantissa (bits 27 to 13). */
    private static final int KEPT = 0x8fffe000;
    private static final short MAGNITUDE = 0x7fff, INF = 0x7c00;
    private static final float UP = 0x1p112f, LARGEST = 0x1p15f;

    /** 1 once every half is known finite, -1 once one is known not to be, 0 before decode first asks. */
    private volatile int finite;

    F16Matrix(MemorySegment data, int rows, int cols) {
        super(data, DType.F16, rows, cols, null);
    }

    @Override
    void widenRow(long o, float[] out, int off) {
        for (int i = 0; i < cols; i++) out[off + i] = Float.float16ToFloat(data.get(I16, o + 2L * i));
    }

    @Override
    float dot1(long o, float[] x, int xOff) {
        float[] w = Scratch.get().rows(cols);
        widenRow(o, w, 0);
        return Simd.dot(w, 0, x, xOff, cols);
    }

    /** Four rows a pass, each half read in place as a scaled float (or widened, see the class comment). */
    @Override
    void rowDots(float[] x, int xOff, float[] y, int yOff, int from, int to) {
        Scratch s = Scratch.get();
        float[] up = s.activation(cols);
        boolean scalable = true;
        for (int i = 0; i < cols; i++) {
            float v = x[xOff + i];
            scalable &= Math.abs(v) < LARGEST || !Float.isFinite(v);
            up[i] = v * UP;
        }
        boolean inPlace = scalable && allFinite();
        for (int r = from; r < to; r += 4) {
            int r1 = Math.min(r + 1, to - 1), r2 = Math.min(r + 2, to - 1), r3 = Math.min(r + 3, to - 1);
            if (inPlace) {
                dot4(r * rowBytes, r1 * rowBytes, r2 * rowBytes, r3 * rowBytes, up, x, xOff, y, yOff + r,
                        yOff + r1, yOff + r2, yOff + r3, s.lanes);
            } else {
                widenedDot4(r, r1, r2, r3, x, xOff, y, yOff, s);
            }
        }
    }

    /** Exactly {@link Simd#dot4} over the widened rows (see the class comment). */
    private void dot4(long o0, long o1, long o2, long o3, float[] up, float[] x, int xOff, float[] y,
                      int y0, int y1, int y2, int y3, float[] lanes) {
        int upper = cols - cols % Simd.LANES;
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        for (int i = 0; i < upper; i += Simd.LANES) {
            long b = 2L * i;
            FloatVector xv = FloatVector.fromArray(S, up, i);
            ShortVector h0 = halves(o0 + b), h1 = halves(o1 + b), h2 = halves(o2 + b), h3 = halves(o3 + b);
            a0 = scaled(h0).fma(xv, a0);
            a1 = scaled(h1).fma(xv, a1);
            a2 = scaled(h2).fma(xv, a2);
            a3 = scaled(h3).fma(xv, a3);
        }
        // the lanes summed from memory in hsum's order: no vector crosses a call C2 might not inline
        int L = Simd.LANES;
        a0.intoArray(lanes, 0);
        a1.intoArray(lanes, L);
        a2.intoArray(lanes, 2 * L);
        a3.intoArray(lanes, 3 * L);
        float s0 = Simd.treeSum(lanes, 0), s1 = Simd.treeSum(lanes, L), s2 = Simd.treeSum(lanes, 2 * L),
                s3 = Simd.treeSum(lanes, 3 * L);
        for (int i = upper; i < cols; i++) {
            float xi = x[xOff + i];
            long b = 2L * i;
            s0 += f16(o0 + b) * xi;
            s1 += f16(o1 + b) * xi;
            s2 += f16(o2 + b) * xi;
            s3 += f16(o3 + b) * xi;
        }
        y[y0] = s0;
        y[y1] = s1;
        y[y2] = s2;
        y[y3] = s3;
    }

    private boolean allFinite() {
        int f = finite;
        if (f == 0) finite = f = largestMagnitude() < INF ? 1 : -1; // threads that race here scan alike
        return f > 0;
    }

    /** The largest |half| bit pattern in the matrix (0x7c00 and above: infinities and NaNs). */
    private int largestMagnitude() {
        long n = data.byteSize(), step = 2L * HALVES.length(), o = 0;
        ShortVector largest = ShortVector.zero(HALVES);
        for (; o + step <= n; o += step) largest = largest.max(halves(o).and(MAGNITUDE));
        int m = largest.reduceLanes(VectorOperators.MAX);
        for (; o < n; o += 2) m = Math.max(m, data.get(I16, o) & MAGNITUDE);
        return m;
    }

    private ShortVector halves(long o) {
        return ShortVector.fromMemorySegment(HALVES, data, o, Simd.LE);
    }

    /** The half's value times 2^-112 (see the class comment). */
    private static FloatVector scaled(ShortVector h) {
        IntVector bits = (IntVector) h.convertShape(VectorOperators.S2I, INTS, 0);
        return bits.lanewise(VectorOperators.LSHL, 13).and(KEPT).reinterpretAsFloats();
    }

    /** Four rows widened, then four multiply-add chains over them, as float32 rows are read in place. */
    private void widenedDot4(int r, int r1, int r2, int r3, float[] x, int xOff, float[] y, int yOff, Scratch s) {
        float[] w = s.rows(4 * cols);
        widenRow(r * rowBytes, w, 0);
        widenRow(r1 * rowBytes, w, cols);
        widenRow(r2 * rowBytes, w, 2 * cols);
        widenRow(r3 * rowBytes, w, 3 * cols);
        Simd.dot4(w, 0, cols, 2 * cols, 3 * cols, x, xOff, cols, y, yOff + r, yOff + r1, yOff + r2, yOff + r3);
    }
}
