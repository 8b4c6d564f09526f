package dev.rwkvedge.compress.head;

import dev.rwkvedge.runtime.Kernels;
import dev.rwkvedge.runtime.Parallel;
import dev.rwkvedge.task.ProgressListener;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Lloyd's k-means with k-means++ seeding over the rows of an n x dim matrix. Deterministic for a given seed:
 * the assignment step is parallel but every row is decided on its own, and the centroid sums run in row order.
 */
public final class KMeans {
    /** The outcome: cluster of every row, the k x dim centroids, and how many Lloyd iterations ran. */
    public record Result(int[] assignment, float[] centroids, int k, int dim, int iterations, boolean converged) {}

    private final int k, maxIterations;
    private final long seed;

    public KMeans(int k, int maxIterations, long seed) {
        if (k < 1) throw new IllegalArgumentException("k must be at least 1, got " + k);
        if (maxIterations < 1) throw new IllegalArgumentException("maxIterations must be at least 1");
        this.k = k;
        this.maxIterations = maxIterations;
        this.seed = seed;
    }

    public Result fit(float[] rows, int n, int dim, Parallel par, ProgressListener progress) {
        if (n < k) throw new IllegalArgumentException(n + " rows cannot make " + k + " clusters");
        if ((long) n * dim != rows.length) throw new IllegalArgumentException("rows is not " + n + " x " + dim);
        float[] centroids = seeds(rows, n, dim);
        int[] assignment = new int[n];
        Arrays.fill(assignment, -1);
        float[] distance = new float[n];
        int it = 0;
        boolean converged = false;
        while (it < maxIterations && !converged) {
            progress.checkCancelled();
            int changed = assign(rows, n, dim, centroids, assignment, distance, par);
            it++;
            boolean reseeded = update(rows, n, dim, centroids, assignment, distance);
            converged = changed == 0 && !reseeded;
            progress.update(it, maxIterations, "k-means iteration " + it);
        }
        return new Result(assignment, centroids, k, dim, it, converged);
    }

    /** k-means++: the first centre uniformly, every next one with probability proportional to D(x)^2. */
    float[] seeds(float[] rows, int n, int dim) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] c = new float[k * dim];
        double[] d2 = new double[n];
        Arrays.fill(d2, Double.POSITIVE_INFINITY);
        boolean[] taken = new boolean[n];
        int pick = rnd.nextInt(n);
        for (int j = 0; j < k; j++) {
            taken[pick] = true;
            System.arraycopy(rows, pick * dim, c, j * dim, dim);
            double total = 0;
            for (int i = 0; i < n; i++) {
                d2[i] = Math.min(d2[i], squaredDistance(rows, i * dim, c, j * dim, dim));
                total += d2[i];
            }
            if (j + 1 < k) pick = sample(d2, total, taken, rnd);
        }
        return c;
    }

    /** A row drawn by D^2 weight; when all remaining rows coincide with centres, the first row not taken yet. */
    private static int sample(double[] d2, double total, boolean[] taken, SplittableRandom rnd) {
        if (total > 0) {
            double u = rnd.nextDouble() * total;
            int last = -1;
            for (int i = 0; i < d2.length; i++) {
                if (d2[i] <= 0) continue;
                last = i;
                u -= d2[i];
                if (u < 0) return i;
            }
            if (last >= 0) return last;
        }
        for (int i = 0; i < taken.length; i++) if (!taken[i]) return i;
        throw new IllegalStateException("no row left to seed from");
    }

    /** Nearest centroid for every row; returns how many rows changed cluster. */
    private int assign(float[] rows, int n, int dim, float[] c, int[] assignment, float[] distance, Parallel par) {
        float[] norms = new float[k];
        for (int j = 0; j < k; j++) norms[j] = Kernels.dot(c, j * dim, c, j * dim, dim);
        int[] changed = new int[n];
        par.forRange(n, (long) k * dim, (from, to) -> {
            for (int i = from; i < to; i++) {
                // |x - c|^2 = |x|^2 - 2 x.c + |c|^2; |x|^2 is the same for every centre, so it is left out
                int best = 0;
                float bestD = Float.POSITIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    float d = norms[j] - 2 * Kernels.dot(rows, i * dim, c, j * dim, dim);
                    if (d < bestD) {
                        bestD = d;
                        best = j;
                    }
                }
                distance[i] = bestD + Kernels.dot(rows, i * dim, rows, i * dim, dim);
                if (assignment[i] != best) changed[i] = 1;
                assignment[i] = best;
            }
        });
        int sum = 0;
        for (int ch : changed) sum += ch;
        return sum;
    }

    /**
     * Centroids as means of their rows; an empty cluster takes over the row farthest from its own centre.
     * Returns whether that happened (the assignment then changed after all).
     */
    private boolean update(float[] rows, int n, int dim, float[] c, int[] assignment, float[] distance) {
        double[] sums = new double[k * dim];
        int[] counts = new int[k];
        for (int i = 0; i < n; i++) {
            int j = assignment[i];
            counts[j]++;
            for (int d = 0; d < dim; d++) sums[j * dim + d] += rows[i * dim + d];
        }
        boolean reseeded = false;
        for (int j = 0; j < k; j++) {
            if (counts[j] > 0) continue;
            reseeded = true;
            int far = farthestMovable(distance, assignment, counts);
            int from = assignment[far];
            counts[from]--;
            for (int d = 0; d < dim; d++) sums[from * dim + d] -= rows[far * dim + d];
            assignment[far] = j;
            distance[far] = 0;
            counts[j] = 1;
            for (int d = 0; d < dim; d++) sums[j * dim + d] = rows[far * dim + d];
        }
        for (int j = 0; j < k; j++) {
            for (int d = 0; d < dim; d++) c[j * dim + d] = (float) (sums[j * dim + d] / counts[j]);
        }
        return reseeded;
    }

    /** The row with the largest distance whose cluster keeps at least one other row. */
    private static int farthestMovable(float[] distance, int[] assignment, int[] counts) {
        int far = -1;
        for (int i = 0; i < distance.length; i++) {
            if (counts[assignment[i]] > 1 && (far < 0 || distance[i] > distance[far])) far = i;
        }
        if (far < 0) throw new IllegalStateException("fewer rows than clusters");
        return far;
    }

    static float squaredDistance(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) {
            float d = a[aOff + i] - b[bOff + i];
            s += d * d;
        }
        return s;
    }
}
