package dev.rwkvedge.compress.quant;

import dev.rwkvedge.runtime.Int8Projection;
import dev.rwkvedge.runtime.Projection;
import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * Quantizes one (out x in) matrix to a {@link Precision}. With the calibration Gram matrix G of its inputs it also
 * tries GPTQ's error feedback (Frantar et al. 2022): columns are rounded in order and each rounding error is spread
 * over the columns not yet rounded through the Cholesky factor of G^-1, so that the output error on the calibration
 * inputs, sum over rows of e G e^T, stays small. Both results are measured by that output error and the smaller kept.
 */
public final class MatrixQuantizer {
    /** GPTQ's dampening: this share of the mean diagonal is added to G before inverting. */
    static final double DAMP = 0.01;

    /**
     * @param projection     the quantized matrix, computing on its stored form
     * @param tensors        what the file stores: one tensor (Q4, F16), or values and scales (int8)
     * @param roundingError  calibration output error of plain rounding (NaN without a Gram matrix)
     * @param feedbackError  the same after error feedback (NaN when not tried)
     * @param signal         sum over rows of w G w^T, the scale both errors are relative to (NaN without G)
     */
    public record Result(Projection projection, Tensor[] tensors, double roundingError, double feedbackError,
                         double signal) {
        public boolean feedbackKept() {
            return feedbackError < roundingError;
        }

        /** The kept error relative to the output's energy on the calibration text. */
        public double relativeError() {
            return Math.min(roundingError, Double.isNaN(feedbackError) ? roundingError : feedbackError) / signal;
        }
    }

    private MatrixQuantizer() {}

    /** Whether an (out x in) matrix can be stored in this precision (4-bit needs rows of whole 32-wide groups). */
    public static boolean fits(Precision p, int in) {
        return !p.grouped() || in % 32 == 0;
    }

    /**
     * @param gram the (in x in) row-major Gram matrix of the inputs, or null (plain rounding only)
     * @param feedback whether to try error feedback when a Gram matrix is given
     */
    public static Result quantize(String name, float[] w, int out, int in, Precision p, double[] gram, boolean feedback) {
        if (!fits(p, in)) throw new IllegalArgumentException(name + ": " + in + " columns are not whole groups of 32");
        if (p == Precision.FP32 || p == Precision.FP16) {
            Tensor t = p == Precision.FP32 ? Tensor.ofFloats(name, w, out, in) : f16(name, w, out, in);
            return new Result(PackedProjection.of(t), new Tensor[] {t}, 0, Double.NaN, Double.NaN);
        }
        Grid grid = Grid.of(p, in);
        int[] codes = new int[out * in];
        float[] params = new float[out * (in / grid.group) * grid.params];
        round(toDouble(w), out, in, grid, codes, params, null);
        double rtn = Double.NaN, gptq = Double.NaN, signal = Double.NaN;
        if (gram != null) {
            rtn = outputError(w, dequant(codes, params, out, in, grid), out, in, gram);
            signal = outputError(w, new float[w.length], out, in, gram);
            if (feedback) {
                int[] c2 = new int[codes.length];
                float[] p2 = new float[params.length];
                double[] u = feedbackFactor(gram, in);
                if (u != null) {
                    double[] work = toDouble(w);
                    round(work, out, in, grid, c2, p2, u);
                    gptq = outputError(w, dequant(c2, p2, out, in, grid), out, in, gram);
                    if (gptq < rtn) {
                        codes = c2;
                        params = p2;
                    }
                }
            }
        }
        Tensor[] tensors = encode(name, codes, params, out, in, p, grid);
        Projection proj = p == Precision.INT8
                ? Int8Projection.of(tensors[0].data(), tensors[1].toFloats(), out, in)
                : PackedProjection.of(tensors[0]);
        return new Result(proj, tensors, rtn, gptq, signal);
    }

    /**
     * Rounds w (out x in, row-major; overwritten when {@code u} is given) onto the grid. With u, the upper Cholesky
     * factor of G^-1, each column's error e is fed forward: w[:, k] -= e / u[j][j] * u[j][k] for k > j. Group
     * parameters are fitted when a group's first column is reached, to the weights as updated so far.
     */
    static void round(double[] w, int out, int in, Grid grid, int[] codes, float[] params, double[] u) {
        int groups = in / grid.group;
        for (int j = 0; j < in; j++) {
            int g = j / grid.group;
            for (int r = 0; r < out; r++) {
                int pOff = (r * groups + g) * grid.params;
                if (j % grid.group == 0) grid.fit(w, r * in + j, grid.group, params, pOff);
                double x = w[r * in + j];
                int c = grid.code(x, params, pOff);
                codes[r * in + j] = c;
                if (u != null) {
                    double e = (x - grid.value(c, params, pOff)) / u[j * in + j];
                    for (int k = j + 1; k < in; k++) w[r * in + k] -= e * u[j * in + k];
                }
            }
        }
    }

    /** The upper Cholesky factor U of (G + damp)^-1 (G^-1 = U^T U), row-major; null if G is unusable. */
    static double[] feedbackFactor(double[] gram, int in) {
        DMatrixRMaj h = new DMatrixRMaj(in, in, true, gram.clone());
        double mean = 0;
        for (int i = 0; i < in; i++) mean += h.get(i, i);
        mean /= in;
        if (!(mean > 0)) return null;
        for (int i = 0; i < in; i++) {
            // an input never seen in calibration: its column is rounded plainly and feeds nothing forward
            if (h.get(i, i) == 0) h.set(i, i, 1);
            h.add(i, i, DAMP * mean);
        }
        DMatrixRMaj inv = new DMatrixRMaj(in, in);
        if (!CommonOps_DDRM.invertSPD(h, inv)) return null;
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(in, false);
        if (!chol.decompose(inv)) return null;
        return chol.getT(null).data;
    }

    /** sum over rows r of (a_r - b_r) G (a_r - b_r)^T: the squared output error over the calibration inputs. */
    static double outputError(float[] a, float[] b, int out, int in, double[] gram) {
        double total = 0;
        double[] e = new double[in];
        for (int r = 0; r < out; r++) {
            for (int c = 0; c < in; c++) e[c] = (double) a[r * in + c] - b[r * in + c];
            for (int i = 0; i < in; i++) {
                if (e[i] == 0) continue;
                double s = 0;
                for (int k = 0; k < in; k++) s += gram[i * in + k] * e[k];
                total += e[i] * s;
            }
        }
        return total;
    }

    static float[] dequant(int[] codes, float[] params, int out, int in, Grid grid) {
        float[] w = new float[out * in];
        int groups = in / grid.group;
        for (int r = 0; r < out; r++) {
            for (int c = 0; c < in; c++) {
                w[r * in + c] = grid.value(codes[r * in + c], params, (r * groups + c / grid.group) * grid.params);
            }
        }
        return w;
    }

    private static Tensor[] encode(String name, int[] codes, float[] params, int out, int in, Precision p, Grid grid) {
        long[] shape = {out, in};
        if (p == Precision.INT8) {
            MemorySegment q = Arena.ofAuto().allocate((long) out * in, 64);
            for (int i = 0; i < codes.length; i++) q.set(ValueLayout.JAVA_BYTE, i, (byte) codes[i]);
            return new Tensor[] {new Tensor(name, DType.I8, shape, q),
                    Tensor.ofFloats(name + "_scale", params, out)};
        }
        DType t = p.dtype;
        int blocks = out * in / 32;
        MemorySegment seg = Arena.ofAuto().allocate((long) blocks * t.bytesPerBlock, 64);
        for (int b = 0; b < blocks; b++) {
            long off = (long) b * t.bytesPerBlock;
            int pOff = b * grid.params;
            seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, off, Float.floatToFloat16(params[pOff]));
            if (p == Precision.Q4_1) seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, off + 2, Float.floatToFloat16(params[pOff + 1]));
            long qs = off + (p == Precision.Q4_1 ? 4 : 2);
            for (int j = 0; j < 16; j++) {
                int lo = codes[b * 32 + j], hi = codes[b * 32 + j + 16];
                seg.set(ValueLayout.JAVA_BYTE, qs + j, (byte) (lo | hi << 4));
            }
        }
        return new Tensor[] {new Tensor(name, t, shape, seg)};
    }

    private static Tensor f16(String name, float[] w, int out, int in) {
        MemorySegment seg = Arena.ofAuto().allocate(2L * w.length, 64);
        for (int i = 0; i < w.length; i++) seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * i, Float.floatToFloat16(w[i]));
        return new Tensor(name, DType.F16, new long[] {out, in}, seg);
    }

    private static double[] toDouble(float[] w) {
        double[] d = new double[w.length];
        for (int i = 0; i < w.length; i++) d[i] = w[i];
        return d;
    }
}
