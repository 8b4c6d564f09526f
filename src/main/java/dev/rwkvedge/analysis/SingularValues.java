package dev.rwkvedge.analysis;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_FDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F32;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Values-only singular value decompositions, three ways (see {@link Spectrum.Method}):
 * <ul>
 * <li>square and near-square matrices (the time-mix projections): float32 EJML SVD, accurate to about 1e-7 s_1 in
 * absolute terms, which is all the float32 weights hold;</li>
 * <li>rectangular matrices (aspect at least {@value #GRAM_ASPECT}: ffn.key/value, LoRA factors, emb, head): the
 * square roots of the eigenvalues of the double Gram matrix W^T W (or W W^T when wide) of the short side. That is
 * four times faster than the SVD for 3072 x 768 (0.5 s against 2 s) and, being double, more accurate: squaring
 * the condition number costs only values below about 1e-8 s_1. Tall matrices are streamed block by block, so a
 * V x C head is never on the heap at once;</li>
 * <li>a LoRA product A B (C x D times D x C): the SVD of the D x D matrix R_A R_B^T from QR factors A = Q_A R_A and
 * B^T = Q_B R_B, exact and far cheaper than the C x C SVD; the C - D other values are exactly zero.</li>
 * </ul>
 */
public final class SingularValues {
    /** Long side to short side ratio from which a matrix goes through its Gram matrix. */
    public static final int GRAM_ASPECT = 2;
    private static final int GRAM_ROW_BLOCK = 256;

    private SingularValues() {}

    static boolean usesGram(int rows, int cols) {
        return Math.max(rows, cols) >= (long) GRAM_ASPECT * Math.min(rows, cols);
    }

    static Spectrum.Method methodFor(WeightMatrix m) {
        if (m.second() != null) return Spectrum.Method.FACTORED_QR_F64;
        return usesGram(m.rows(), m.cols()) ? Spectrum.Method.GRAM_EIGEN_F64 : Spectrum.Method.SVD_F32;
    }

    /** The spectrum of {@code m}, reading its weights now. */
    public static Spectrum spectrum(WeightMatrix m) {
        Spectrum.Method method = methodFor(m);
        float[] values = switch (method) {
            case SVD_F32 -> ofMatrix(m.first().read(), m.rows(), m.cols());
            case GRAM_EIGEN_F64 -> viaGram(m.first());
            case FACTORED_QR_F64 -> ofProduct(m.first().read(), m.rows(), m.first().cols(), m.second().read(), m.cols());
        };
        return new Spectrum(m.name(), m.layer(), m.rows(), m.cols(), m.kind(), method, values);
    }

    /** Singular values of a row-major rows x cols matrix (not modified), descending. */
    public static float[] ofMatrix(float[] w, int rows, int cols) {
        FMatrixRMaj a = new FMatrixRMaj(rows, cols);
        System.arraycopy(w, 0, a.data, 0, rows * cols);
        SingularValueDecomposition_F32<FMatrixRMaj> svd = DecompositionFactory_FDRM.svd(rows, cols, false, false, true);
        if (!svd.decompose(a)) throw new IllegalStateException("SVD did not converge for a " + rows + "x" + cols + " matrix");
        float[] s = Arrays.copyOf(svd.getSingularValues(), svd.numberOfSingularValues());
        return descending(s, Math.min(rows, cols));
    }

    /** Singular values of a double matrix (the reference path and small factored cores), descending. */
    static float[] ofMatrix(DMatrixRMaj a) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(a.numRows, a.numCols,
                false, false, true);
        if (!svd.decompose(a.copy())) throw new IllegalStateException("SVD did not converge");
        double[] d = svd.getSingularValues();
        float[] s = new float[svd.numberOfSingularValues()];
        for (int i = 0; i < s.length; i++) s[i] = (float) d[i];
        return descending(s, Math.min(a.numRows, a.numCols));
    }

    /** Square roots of the eigenvalues of the Gram matrix of the short side (W^T W when tall, W W^T when wide). */
    static float[] viaGram(MatrixSource src) {
        if (src.rows() < src.cols()) {
            // wide matrices are at most C x F: transposing a whole copy is cheaper than strided column reads
            float[] w = src.read(), t = new float[w.length];
            int m = src.rows(), n = src.cols();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) t[j * m + i] = w[i * n + j];
            }
            GramMatrix g = new GramMatrix(m);
            g.add(t, n);
            return ofGram(g);
        }
        GramMatrix g = new GramMatrix(src.cols());
        float[] block = new float[GRAM_ROW_BLOCK * src.cols()];
        for (int r = 0; r < src.rows(); r += GRAM_ROW_BLOCK) {
            int n = Math.min(GRAM_ROW_BLOCK, src.rows() - r);
            src.readRows(r, n, block);
            g.add(block, n);
        }
        return ofGram(g);
    }

    /** Singular values of the matrix whose rows were accumulated into {@code g}: sqrt of its eigenvalues. */
    public static float[] ofGram(GramMatrix g) {
        int n = g.dim();
        DMatrixRMaj m = DMatrixRMaj.wrap(n, n, g.toArray());
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, true);
        if (!eig.decompose(m)) throw new IllegalStateException("eigen decomposition did not converge (" + n + "x" + n + ")");
        float[] s = new float[n];
        // rounding can make the smallest eigenvalues of a semi-definite matrix slightly negative
        for (int i = 0; i < n; i++) s[i] = (float) Math.sqrt(Math.max(0, eig.getEigenvalue(i).real));
        return descending(s, n);
    }

    /** Singular values of A B for row-major A (m x d) and B (d x n), length min(m, n). */
    public static float[] ofProduct(float[] a, int m, int d, float[] b, int n) {
        DMatrixRMaj A = toDouble(a, m, d), B = toDouble(b, d, n);
        if (m < d || n < d) {
            DMatrixRMaj p = new DMatrixRMaj(m, n);
            CommonOps_DDRM.mult(A, B, p);
            return ofMatrix(p);
        }
        DMatrixRMaj ra = rFactor(A);
        DMatrixRMaj rb = rFactor(CommonOps_DDRM.transpose(B, null));
        DMatrixRMaj core = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransB(ra, rb, core);
        return Arrays.copyOf(ofMatrix(core), Math.min(m, n));
    }

    private static DMatrixRMaj rFactor(DMatrixRMaj tall) {
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(tall.numRows, tall.numCols);
        if (!qr.decompose(tall.copy())) throw new IllegalStateException("QR failed");
        return qr.getR(null, true);
    }

    private static DMatrixRMaj toDouble(float[] v, int rows, int cols) {
        DMatrixRMaj d = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < rows * cols; i++) d.data[i] = v[i];
        return d;
    }

    /** Sorted descending and padded with zeros to {@code length} (EJML returns values in no particular order). */
    private static float[] descending(float[] s, int length) {
        float[] out = Arrays.copyOf(s, length);
        Arrays.sort(out);
        for (int i = 0, j = out.length - 1; i < j; i++, j--) {
            float t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }
}
