package dev.rwkvedge.compress.sparse;

import dev.rwkvedge.runtime.Kernels;
import dev.rwkvedge.task.ProgressListener;
import java.util.SplittableRandom;

/**
 * Trains an {@link MlpPredictor} as the RWKV-edge code does: weighted binary cross-entropy on the logits with
 * positive weight = negatives / positives (one number over the whole training mask, as PyTorch's pos_weight is used
 * there), Adam, full-batch epochs, weights drawn like PyTorch's Linear default U(-1/sqrt(in), 1/sqrt(in)) from a
 * fixed seed. Single-threaded on purpose: training runs beside generation on small machines.
 */
public final class MlpTrainer {
    private static final double BETA1 = 0.9, BETA2 = 0.999, ADAM_EPS = 1e-8;

    /** @param learningRate 0.005 and 100 epochs in the paper's code */
    public record Settings(int width, int epochs, double learningRate, long seed) {
        public static final Settings DEFAULT = new Settings(64, 100, 0.005, 42);

        public Settings {
            if (width < 1 || epochs < 0 || !(learningRate > 0)) throw new IllegalArgumentException("bad MLP settings");
        }
    }

    /** The trained predictor, the weighted BCE on the training rows before and after, and the wall time. */
    public record Result(MlpPredictor predictor, double initialLoss, double finalLoss, double positiveWeight,
                         long millis) {}

    private final int n, D, F, w;
    private final float[] x;
    private final boolean[] y;
    private final float positiveWeight;
    private final float[] w1, w2, g1, g2, hidden, dHidden;

    private MlpTrainer(LayerSamples s, int[] rows, int width, SplittableRandom rnd) {
        n = rows.length;
        D = s.inputs();
        F = s.neurons();
        w = width;
        x = new float[n * D];
        y = new boolean[n * F];
        long positives = 0;
        for (int i = 0; i < n; i++) {
            System.arraycopy(s.inputsArray(), s.inputOffset(rows[i]), x, i * D, D);
            for (int j = 0; j < F; j++) if (y[i * F + j] = s.active(rows[i], j)) positives++;
        }
        long negatives = (long) n * F - positives;
        positiveWeight = positives == 0 || negatives == 0 ? 1f : (float) negatives / positives;
        w1 = uniform(rnd, w * D, D);
        w2 = uniform(rnd, F * w, w);
        g1 = new float[w1.length];
        g2 = new float[w2.length];
        hidden = new float[n * w];
        dHidden = new float[w];
    }

    public static Result train(LayerSamples samples, int[] trainRows, Settings settings, double threshold,
                               ProgressListener progress) {
        if (trainRows.length == 0) throw new IllegalArgumentException("no training samples");
        long start = System.nanoTime();
        MlpTrainer t = new MlpTrainer(samples, trainRows, settings.width(), new SplittableRandom(settings.seed()));
        Adam a1 = new Adam(t.w1.length), a2 = new Adam(t.w2.length);
        double initial = t.pass(false, true);
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
            progress.checkCancelled();
            t.pass(true, false);
            a1.step(t.w1, t.g1, settings.learningRate(), epoch);
            a2.step(t.w2, t.g2, settings.learningRate(), epoch);
            progress.update(epoch, settings.epochs(), "training predictor");
        }
        double fin = t.pass(false, true);
        MlpPredictor p = new MlpPredictor(t.D, t.w, t.F, t.w1, t.w2, threshold);
        return new Result(p, initial, fin, t.positiveWeight, (System.nanoTime() - start) / 1_000_000);
    }

    /** One full-batch forward (and backward into g1, g2); returns the mean weighted BCE when asked. */
    private double pass(boolean gradients, boolean loss) {
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < w; k++) hidden[i * w + k] = Math.max(0f, Kernels.dot(w1, k * D, x, i * D, D));
        }
        if (gradients) {
            java.util.Arrays.fill(g1, 0f);
            java.util.Arrays.fill(g2, 0f);
        }
        float scale = 1f / ((float) n * F);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int h = i * w;
            if (gradients) java.util.Arrays.fill(dHidden, 0f);
            for (int j = 0; j < F; j++) {
                float z = Kernels.dot(w2, j * w, hidden, h, w);
                boolean label = y[i * F + j];
                if (loss) sum += label ? positiveWeight * softplus(-z) : softplus(z);
                if (!gradients) continue;
                float p = TokenShift.sigmoid(z);
                float g = (label ? positiveWeight * (p - 1) : p) * scale;
                Vec.axpy(g, hidden, h, g2, j * w, w);
                Vec.axpy(g, w2, j * w, dHidden, 0, w);
            }
            if (!gradients) continue;
            for (int k = 0; k < w; k++) if (hidden[h + k] > 0) Vec.axpy(dHidden[k], x, i * D, g1, k * D, D);
        }
        return sum / ((double) n * F);
    }

    private static double softplus(double z) {
        return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    private static float[] uniform(SplittableRandom rnd, int n, int fanIn) {
        double bound = 1 / Math.sqrt(fanIn);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextDouble(-bound, bound);
        return a;
    }

    private static final class Adam {
        private final float[] m, v;

        Adam(int n) {
            m = new float[n];
            v = new float[n];
        }

        void step(float[] p, float[] g, double lr, int t) {
            double c1 = 1 - Math.pow(BETA1, t), c2 = 1 - Math.pow(BETA2, t);
            for (int i = 0; i < p.length; i++) {
                m[i] = (float) (BETA1 * m[i] + (1 - BETA1) * g[i]);
                v[i] = (float) (BETA2 * v[i] + (1 - BETA2) * g[i] * g[i]);
                p[i] -= (float) (lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + ADAM_EPS));
            }
        }
    }
}
