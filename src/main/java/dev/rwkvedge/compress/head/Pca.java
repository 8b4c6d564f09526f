package dev.rwkvedge.compress.head;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Projection of the rows of an n x dim matrix onto their top principal directions. Clustering in fewer dimensions
 * is cheaper and, as in the paper, keeps the directions in which tokens actually differ.
 */
public final class Pca {
    private Pca() {}

    /** The rows, centred and projected to {@code dims} dimensions (n x dims); the rows unchanged if dims >= dim. */
    public static float[] project(float[] rows, int n, int dim, int dims) {
        if (dims <= 0 || dims >= dim) return rows;
        double[] mean = new double[dim];
        for (int i = 0; i < n; i++) for (int d = 0; d < dim; d++) mean[d] += rows[i * dim + d];
        for (int d = 0; d < dim; d++) mean[d] /= n;
        DMatrixRMaj cov = new DMatrixRMaj(dim, dim);
        double[] centred = new double[dim];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dim; d++) centred[d] = rows[i * dim + d] - mean[d];
            for (int a = 0; a < dim; a++) {
                double ca = centred[a];
                for (int b = a; b < dim; b++) cov.data[a * dim + b] += ca * centred[b];
            }
        }
        for (int a = 0; a < dim; a++) for (int b = 0; b < a; b++) cov.data[a * dim + b] = cov.data[b * dim + a];
        double[][] basis = topEigenvectors(cov, dims);
        float[] out = new float[n * dims];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dim; d++) centred[d] = rows[i * dim + d] - mean[d];
            for (int j = 0; j < dims; j++) {
                double s = 0;
                for (int d = 0; d < dim; d++) s += centred[d] * basis[j][d];
                out[i * dims + j] = (float) s;
            }
        }
        return out;
    }

    /** Eigenvectors of a symmetric matrix with the largest eigenvalues, largest first. */
    private static double[][] topEigenvectors(DMatrixRMaj sym, int count) {
        int dim = sym.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(dim, true, true);
        if (!eig.decompose(sym)) throw new IllegalStateException("eigen decomposition of the covariance failed");
        Integer[] order = new Integer[dim];
        for (int i = 0; i < dim; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Double.compare(eig.getEigenvalue(b).real, eig.getEigenvalue(a).real));
        double[][] basis = new double[count][];
        for (int j = 0; j < count; j++) basis[j] = eig.getEigenVector(order[j]).data.clone();
        return basis;
    }
}
