package dev.rwkvedge.compress.head;

import dev.rwkvedge.compress.LowRankFactorizer;
import dev.rwkvedge.compress.resident.Int8Kernels;
import dev.rwkvedge.runtime.Int8Projection;
import dev.rwkvedge.runtime.LowRankProjection;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A rank-r estimate of every head logit, z ~ A (B x), resident and cheap (V r + r C multiply-adds against the head's
 * V C): the logit the clustered head gives a token of a cluster it did not read. Without it every token of an unread
 * cluster gets the same pseudo-logit, so a next token outside the chosen clusters costs about log(cluster size)
 * extra nats, which is what limited held-out perplexity. B (r x C) is float32; A (V x r, rows in
 * cluster order) is int8 with a scale per row. The factorization is the whitened SVD of the head rows over the
 * calibration head inputs, so the truncation error is the logit error on the inputs the head actually sees.
 *
 * <p>A is held column by column (r runs of V bytes): A u is then r vector passes of y += u_k a_k over the
 * vocabulary. Row by row, each of the V rows is a dot of only r (8) bytes, too short for vector lanes: on the
 * sample model that took 11 % of a token's time, more than the exact rows.
 */
public final class TailLogits {
    private final float[] first;
    /** A transposed: column k (V int8 values) at byte k * V. */
    private final MemorySegment columns;
    private final float[] scales;
    private final int rank, dim, vocab;

    /**
     * @param first  B, r x C
     * @param second A, V x r, rows in the clustered head's cluster order
     */
    public TailLogits(float[] first, Int8Projection second, int rank, int dim) {
        this(first, second.values().toArray(ValueLayout.JAVA_BYTE), second.scales(), rank, dim);
        if (second.inDim() != rank) throw new IllegalArgumentException("tail factor A is not V x " + rank);
    }

    /**
     * @param rows   A's int8 values, V x r row-major (as stored)
     * @param scales A's row scales, V of them
     */
    public TailLogits(float[] first, byte[] rows, float[] scales, int rank, int dim) {
        if (rank < 1 || first.length != rank * dim || rows.length != (long) scales.length * rank) {
            throw new IllegalArgumentException("tail factors are not " + rank + " x " + dim + " and V x " + rank);
        }
        this.first = first.clone();
        this.scales = scales.clone();
        this.rank = rank;
        this.dim = dim;
        this.vocab = scales.length;
        this.columns = Arena.ofAuto().allocate((long) rank * vocab, 64);
        for (int v = 0; v < vocab; v++) {
            for (int k = 0; k < rank; k++) columns.set(ValueLayout.JAVA_BYTE, (long) k * vocab + v, rows[v * rank + k]);
        }
    }

    /**
     * @param headRows the V x C head rows, in token order
     * @param inputs   calibration head inputs (count x C) for the whitening Gram matrix
     */
    public static TailLogits fit(float[] headRows, ClusterIndex index, int C, int rank, float[] inputs, int count) {
        int V = index.vocab();
        int[] order = index.tokens();
        float[] rowsByCluster = new float[V * C];
        for (int r = 0; r < V; r++) System.arraycopy(headRows, order[r] * C, rowsByCluster, r * C, C);
        double[] gram = new double[C * C];
        for (int t = 0; t < count; t++) {
            int o = t * C;
            for (int i = 0; i < C; i++) {
                double xi = inputs[o + i];
                for (int j = 0; j <= i; j++) gram[i * C + j] += xi * inputs[o + j];
            }
        }
        for (int i = 0; i < C; i++) for (int j = 0; j < i; j++) gram[j * C + i] = gram[i * C + j];
        LowRankProjection lr = LowRankFactorizer.whitened(rowsByCluster, V, C, gram, 1e-4).factor(rank);
        return new TailLogits(lr.first().toArray(), Int8Projection.quantize(lr.second().toArray(), V, rank), rank, C);
    }

    public float[] first() {
        return first.clone();
    }

    public int rank() {
        return rank;
    }

    public int dim() {
        return dim;
    }

    public int vocab() {
        return vocab;
    }

    /** A's int8 values, V x r row-major, as the file stores them. */
    public byte[] rows() {
        byte[] a = new byte[vocab * rank];
        for (int v = 0; v < vocab; v++) {
            for (int k = 0; k < rank; k++) a[v * rank + k] = columns.get(ValueLayout.JAVA_BYTE, (long) k * vocab + v);
        }
        return a;
    }

    /** A's row scales. */
    public float[] scales() {
        return scales.clone();
    }

    /** zHat[0 .. V) = A B x[xOff ..), in cluster order; u is scratch of length r. */
    public void estimate(float[] x, int xOff, float[] u, float[] zHat) {
        project(x, xOff, u);
        rows(u, 0, vocab, zHat, 0);
    }

    /** u[0 .. r) = B x[xOff ..): the first half of {@link #estimate}. */
    public void project(float[] x, int xOff, float[] u) {
        for (int k = 0; k < rank; k++) {
            float s = 0;
            for (int c = 0; c < dim; c++) s += first[k * dim + c] * x[xOff + c];
            u[k] = s;
        }
    }

    /**
     * zHat[zOff ..] = rows from .. to (cluster order) of A u: the second half of {@link #estimate}. Each row is its
     * own chain of fused multiply-adds, so any range gives the bits the whole vocabulary would.
     */
    public void rows(float[] u, int from, int to, float[] zHat, int zOff) {
        int n = to - from;
        java.util.Arrays.fill(zHat, zOff, zOff + n, 0f);
        for (int k = 0; k < rank; k++) Int8Kernels.axpy(u[k], columns, (long) k * vocab + from, zHat, zOff, n);
        for (int i = 0; i < n; i++) zHat[zOff + i] *= scales[from + i];
    }

    public long bytes() {
        return 4L * first.length + columns.byteSize() + 4L * scales.length;
    }

    public long parameters() {
        return first.length + (long) vocab * rank;
    }
}
