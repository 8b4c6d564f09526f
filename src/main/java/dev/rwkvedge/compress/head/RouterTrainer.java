package dev.rwkvedge.compress.head;

import dev.rwkvedge.runtime.Parallel;
import dev.rwkvedge.task.ProgressListener;
import java.util.SplittableRandom;

/**
 * Distils the dense head's cluster masses into the router: minimises the mean KL(p_cluster || softmax(W x + b))
 * with Adam over shuffled mini-batches. Deterministic for a given seed: per-sample and per-cluster work runs in
 * parallel, but every sum is taken in a fixed order.
 */
public final class RouterTrainer {
    private static final double BETA1 = 0.9, BETA2 = 0.999, EPS = 1e-8;

    private final int epochs, batchSize;
    private final double learningRate;
    private final long seed;

    public RouterTrainer(int epochs, int batchSize, double learningRate, long seed) {
        if (epochs < 0 || batchSize < 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException("need epochs >= 0, batchSize >= 1 and a positive learning rate");
        }
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.learningRate = learningRate;
        this.seed = seed;
    }

    /**
     * A starting point from the head itself: log sum_{t in j} exp(w_t . x + b_t) >= log n_j + mean_t (w_t . x + b_t)
     * (Jensen), so the mean row and log n_j plus the mean bias already rank clusters roughly right.
     */
    public static Router initial(float[] headRows, float[] bias, ClusterIndex index, int dim) {
        int K = index.clusters();
        float[] w = new float[K * dim];
        float[] b = new float[K];
        int[] order = index.tokens();
        for (int j = 0; j < K; j++) {
            double[] sum = new double[dim];
            double biasSum = 0;
            for (int r = index.start(j); r < index.end(j); r++) {
                for (int d = 0; d < dim; d++) sum[d] += headRows[order[r] * dim + d];
                if (bias != null) biasSum += bias[order[r]];
            }
            int n = index.size(j);
            for (int d = 0; d < dim; d++) w[j * dim + d] = (float) (sum[d] / n);
            b[j] = (float) (Math.log(n) + biasSum / n);
        }
        return new Router(w, b, K, dim);
    }

    public RouterTraining train(Router start, HeadSamples train, HeadSamples validation, Parallel par,
                                ProgressListener progress) {
        int K = start.clusters(), C = start.dim();
        float[] w = start.weight().clone(), b = start.bias().clone();
        Router router = new Router(w, b, K, C);
        double initialTrain = meanKl(router, train, par), initialValidation = meanKl(router, validation, par);
        Adam adamW = new Adam(w.length), adamB = new Adam(K);
        int[] perm = new int[train.count()];
        for (int i = 0; i < perm.length; i++) perm[i] = i;
        SplittableRandom rnd = new SplittableRandom(seed);
        int batches = (train.count() + batchSize - 1) / batchSize;
        float[] g = new float[batchSize * K];
        double[] gw = new double[w.length], gb = new double[K];
        int step = 0;
        for (int e = 0; e < epochs; e++) {
            shuffle(perm, rnd);
            for (int bi = 0; bi < batches; bi++) {
                progress.checkCancelled();
                int from = bi * batchSize, B = Math.min(batchSize, perm.length - from);
                par.forRange(B, (long) K * C, (s0, s1) -> {
                    for (int s = s0; s < s1; s++) {
                        int row = perm[from + s];
                        router.probabilities(train.inputs(), row * C, g, s * K);
                        for (int j = 0; j < K; j++) g[s * K + j] -= train.clusterMasses()[row * K + j];
                    }
                });
                // d KL / d logit_j = q_j - p_j; the weight gradient is its outer product with x, averaged
                par.forRange(K, (long) B * C, (j0, j1) -> {
                    for (int j = j0; j < j1; j++) {
                        java.util.Arrays.fill(gw, j * C, (j + 1) * C, 0);
                        double bs = 0;
                        for (int s = 0; s < B; s++) {
                            double gs = g[s * K + j] / (double) B;
                            int xo = perm[from + s] * C;
                            for (int d = 0; d < C; d++) gw[j * C + d] += gs * train.inputs()[xo + d];
                            bs += gs;
                        }
                        gb[j] = bs;
                    }
                });
                step++;
                adamW.step(w, gw, step, learningRate);
                adamB.step(b, gb, step, learningRate);
            }
            progress.update(e + 1, epochs, "router epoch " + (e + 1) + " of " + epochs);
        }
        return new RouterTraining(router, initialTrain, meanKl(router, train, par), initialValidation,
                meanKl(router, validation, par), epochs, step);
    }

    /** Mean over samples of KL(p_cluster || router); NaN for no samples. */
    public static double meanKl(Router router, HeadSamples samples, Parallel par) {
        int K = router.clusters(), C = router.dim();
        double[] kl = new double[samples.count()];
        par.forRange(samples.count(), (long) K * C, (s0, s1) -> {
            float[] q = new float[K];
            for (int s = s0; s < s1; s++) {
                router.probabilities(samples.inputs(), s * C, q, 0);
                kl[s] = klDivergence(samples.clusterMasses(), s * K, q, 0, K);
            }
        });
        double sum = 0;
        for (double v : kl) sum += v;
        return samples.count() == 0 ? Double.NaN : sum / samples.count();
    }

    /** KL(p || q) over n entries; terms with p = 0 contribute nothing, q is floored to keep it finite. */
    static double klDivergence(float[] p, int pOff, float[] q, int qOff, int n) {
        double kl = 0;
        for (int i = 0; i < n; i++) {
            double pi = p[pOff + i];
            if (pi > 0) kl += pi * (Math.log(pi) - Math.log(Math.max(q[qOff + i], 1e-30)));
        }
        return kl;
    }

    private static void shuffle(int[] a, SplittableRandom rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Adam moments for one parameter array. */
    private static final class Adam {
        final double[] m, v;

        Adam(int n) {
            m = new double[n];
            v = new double[n];
        }

        void step(float[] param, double[] grad, int t, double lr) {
            double c1 = 1 - Math.pow(BETA1, t), c2 = 1 - Math.pow(BETA2, t);
            for (int i = 0; i < param.length; i++) {
                m[i] = BETA1 * m[i] + (1 - BETA1) * grad[i];
                v[i] = BETA2 * v[i] + (1 - BETA2) * grad[i] * grad[i];
                param[i] -= (float) (lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + EPS));
            }
        }
    }
}
