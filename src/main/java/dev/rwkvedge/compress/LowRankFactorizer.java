package dev.rwkvedge.compress;

import dev.rwkvedge.runtime.LowRankProjection;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.decomposition.chol.CholeskyDecompositionInner_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Truncated SVD of a projection W (out x in), plain or activation-aware ("whitened", SVD-LLM): with the calibration
 * Gram matrix G = sum x x^T = S S^T, factor W S instead of W, so that the discarded singular values are exactly the
 * output error on the calibration inputs. The SVD is computed once; any rank can then be cut from it.
 */
public final class LowRankFactorizer {
    private final int out, in;
    private final DMatrixRMaj u, vt;
    private final double[] sigma;
    /** S^-1 (lower-triangular inverse of the Cholesky factor), or null for plain SVD. */
    private final DMatrixRMaj whitenInverse;

    private LowRankFactorizer(int out, int in, DMatrixRMaj u, double[] sigma, DMatrixRMaj vt, DMatrixRMaj sInv) {
        this.out = out;
        this.in = in;
        this.u = u;
        this.sigma = sigma;
        this.vt = vt;
        this.whitenInverse = sInv;
    }

    /** Plain SVD of W. */
    public static LowRankFactorizer plain(float[] w, int out, int in) {
        DMatrixRMaj m = matrix(w, out, in);
        return decompose(m, out, in, null);
    }

    /**
     * Whitened SVD. {@code gram} is the (in x in) row-major sum of x x^T over calibration inputs; a small ridge
     * (relative to its mean diagonal) keeps the Cholesky factor invertible when some input directions never occur.
     */
    public static LowRankFactorizer whitened(float[] w, int out, int in, double[] gram, double ridge) {
        if (gram.length != in * in) throw new IllegalArgumentException("Gram matrix is not " + in + "x" + in);
        DMatrixRMaj g = new DMatrixRMaj(in, in, true, gram.clone());
        double mean = 0;
        for (int i = 0; i < in; i++) mean += g.get(i, i);
        mean /= in;
        double lambda = Math.max(ridge * mean, 1e-12);
        for (int i = 0; i < in; i++) g.add(i, i, lambda);
        CholeskyDecompositionInner_DDRM chol = new CholeskyDecompositionInner_DDRM(true);
        if (!chol.decompose(g)) throw new IllegalArgumentException("calibration Gram matrix is not positive definite");
        DMatrixRMaj s = chol.getT(null);
        DMatrixRMaj sInv = new DMatrixRMaj(in, in);
        if (!CommonOps_DDRM.invert(s, sInv)) throw new IllegalArgumentException("Cholesky factor is singular");
        DMatrixRMaj ws = new DMatrixRMaj(out, in);
        CommonOps_DDRM.mult(matrix(w, out, in), s, ws);
        return decompose(ws, out, in, sInv);
    }

    private static LowRankFactorizer decompose(DMatrixRMaj m, int out, int in, DMatrixRMaj sInv) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(out, in, true, true, true);
        if (!svd.decompose(m)) throw new IllegalStateException("SVD did not converge");
        DMatrixRMaj u = svd.getU(null, false), w = svd.getW(null), vt = svd.getV(null, true);
        SingularOps_DDRM.descendingOrder(u, false, w, vt, true);
        int k = Math.min(out, in);
        double[] s = new double[k];
        for (int i = 0; i < k; i++) s[i] = w.get(i, i);
        return new LowRankFactorizer(out, in, u, s, vt, sInv);
    }

    private static DMatrixRMaj matrix(float[] w, int rows, int cols) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < w.length; i++) m.data[i] = w[i];
        return m;
    }

    /** Singular values, descending (of W, or of W S when whitened). */
    public double[] singularValues() {
        return sigma.clone();
    }

    public boolean isWhitened() {
        return whitenInverse != null;
    }

    /** Sum of the squared singular values beyond {@code rank}: the truncation error (Frobenius, squared). */
    public double truncationError(int rank) {
        double e = 0;
        for (int i = rank; i < sigma.length; i++) e += sigma[i] * sigma[i];
        return e;
    }

    /** The rank-r factors: W1 = sqrt(s) V^T [S^-1] (r x in), W2 = U sqrt(s) (out x r). */
    public LowRankProjection factor(int rank) {
        if (rank < 1 || rank > sigma.length) {
            throw new IllegalArgumentException("rank " + rank + " is outside 1.." + sigma.length + " for a " + out + "x"
                    + in + " matrix");
        }
        float[] w1 = new float[rank * in], w2 = new float[out * rank];
        DMatrixRMaj first = new DMatrixRMaj(rank, in);
        for (int j = 0; j < rank; j++) {
            double s = Math.sqrt(sigma[j]);
            for (int c = 0; c < in; c++) first.set(j, c, s * vt.get(j, c));
            for (int r = 0; r < out; r++) w2[r * rank + j] = (float) (u.get(r, j) * s);
        }
        if (whitenInverse != null) {
            DMatrixRMaj t = new DMatrixRMaj(rank, in);
            CommonOps_DDRM.mult(first, whitenInverse, t);
            first = t;
        }
        for (int i = 0; i < w1.length; i++) w1[i] = (float) first.data[i];
        return LowRankProjection.of(w1, w2, out, rank, in);
    }
}
