package dev.rwkvedge.analysis;

/**
 * G = sum over rows x of x x^T in double precision, accumulated a block of rows at a time so that no row needs to
 * be kept: the statistic activation-aware (whitened) SVD needs of a projection's inputs, and the route to the
 * singular values of a rectangular matrix. Memory: dim^2 doubles (8 dim^2 bytes; 4.7 MB at 768, 75 MB at 3072).
 * Not thread-safe.
 */
public final class GramMatrix {
    private static final int BLOCK = 4;
    private final int dim;
    /** Only the upper triangle (i <= j) is accumulated; {@link #toArray} mirrors it. */
    private final double[] g;
    private final double[][] rows;
    private long count;

    public GramMatrix(int dim) {
        if (dim <= 0) throw new IllegalArgumentException("dimension must be positive: " + dim);
        this.dim = dim;
        this.g = new double[dim * dim];
        this.rows = new double[BLOCK][dim];
    }

    /** Restores a matrix from its full row-major values (e.g. read back from storage). */
    public static GramMatrix of(int dim, double[] values, long count) {
        if (values.length != (long) dim * dim) throw new IllegalArgumentException("need " + dim + "^2 values");
        GramMatrix m = new GramMatrix(dim);
        for (int i = 0; i < dim; i++) System.arraycopy(values, i * dim + i, m.g, i * dim + i, dim - i);
        m.count = count;
        return m;
    }

    public int dim() {
        return dim;
    }

    /** How many rows were added. */
    public long count() {
        return count;
    }

    public long bytes() {
        return 8L * dim * dim;
    }

    /** Adds the first {@code T} rows of the row-major {@code x} (each {@link #dim} wide). */
    public void add(float[] x, int T) {
        if ((long) T * dim > x.length) throw new IllegalArgumentException(T + " rows of " + dim + " exceed the array");
        for (int t0 = 0; t0 < T; t0 += BLOCK) {
            int nb = Math.min(BLOCK, T - t0);
            for (int b = 0; b < BLOCK; b++) {
                double[] row = rows[b];
                if (b < nb) for (int j = 0; j < dim; j++) row[j] = x[(t0 + b) * dim + j];
                else java.util.Arrays.fill(row, 0);
            }
            addBlock();
        }
        count += T;
    }

    // four rows per pass over G: G (dim^2 doubles) is what costs memory bandwidth, not the rows
    private void addBlock() {
        double[] r0 = rows[0], r1 = rows[1], r2 = rows[2], r3 = rows[3];
        for (int i = 0; i < dim; i++) {
            double a0 = r0[i], a1 = r1[i], a2 = r2[i], a3 = r3[i];
            // squared-ReLU inputs (ffn.value) are mostly exact zeros
            if (a0 == 0 && a1 == 0 && a2 == 0 && a3 == 0) continue;
            int base = i * dim;
            for (int j = i; j < dim; j++) g[base + j] += a0 * r0[j] + a1 * r1[j] + a2 * r2[j] + a3 * r3[j];
        }
    }

    public double get(int i, int j) {
        return i <= j ? g[i * dim + j] : g[j * dim + i];
    }

    /** The full symmetric matrix, row-major (a new array). */
    public double[] toArray() {
        double[] out = g.clone();
        for (int i = 0; i < dim; i++) {
            for (int j = i + 1; j < dim; j++) out[j * dim + i] = g[i * dim + j];
        }
        return out;
    }
}
