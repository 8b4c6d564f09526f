package dev.rwkvedge.compress.sparse;

import dev.rwkvedge.runtime.Kernels;
import dev.rwkvedge.task.ProgressListener;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Trains an {@link MlpPredictor} as the RWKV-edge code does: weighted binary cross-entropy on the logits with
 * positive weight = negatives / positives (one number over the whole training mask, as PyTorch's pos_weight is used
 * there), Adam, full-batch epochs, weights drawn like PyTorch's Linear default U(-1/sqrt(in), 1/sqrt(in)) from a
 * fixed seed. Single-threaded on purpose: training runs beside generation on small machines. Samples go through in
 * blocks of four, and each W2^T row (and its gradient) is streamed once per block: at F = 3072 those two matrices do
 * not fit in L2, so this divides the memory traffic that bounds an epoch by four.
 */
public final class MlpTrainer {
    private static final double BETA1 = 0.9, BETA2 = 0.999, ADAM_EPS = 1e-8;
    /** Samples per block; the kernels' four-row forms depend on it. */
    private static final int B = 4;

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

    /** n real samples, padded with zero rows to a multiple of B (zero inputs, zero weight). */
    private final int n, padded, D, F, w;
    private final float[] x;
    /** Labels as 0/1 floats (n x F) so the gradient is one vector expression. */
    private final float[] y;
    private final float positiveWeight;
    private final float[] w1, w2t, g1, g2t, hidden, z, dots = new float[B], hk = new float[B];

    private MlpTrainer(LayerSamples s, int[] rows, int width, SplittableRandom rnd) {
        n = rows.length;
        padded = (n + B - 1) / B * B;
        D = s.inputs();
        F = s.neurons();
        w = width;
        x = new float[padded * D];
        y = new float[padded * F];
        long positives = 0;
        for (int i = 0; i < n; i++) {
            System.arraycopy(s.inputsArray(), s.inputOffset(rows[i]), x, i * D, D);
            for (int j = 0; j < F; j++) {
                if (s.active(rows[i], j)) {
                    y[i * F + j] = 1f;
                    positives++;
                }
            }
        }
        long negatives = (long) n * F - positives;
        positiveWeight = positives == 0 || negatives == 0 ? 1f : (float) negatives / positives;
        w1 = uniform(rnd, w * D, D);
        w2t = uniform(rnd, w * F, w);
        g1 = new float[w1.length];
        g2t = new float[w2t.length];
        hidden = new float[B * w];
        z = new float[B * F];
    }

    public static Result train(LayerSamples samples, int[] trainRows, Settings settings, double threshold,
                               ProgressListener progress) {
        if (trainRows.length == 0) throw new IllegalArgumentException("no training samples");
        long start = System.nanoTime();
        MlpTrainer t = new MlpTrainer(samples, trainRows, settings.width(), new SplittableRandom(settings.seed()));
        Adam a1 = new Adam(t.w1.length), a2 = new Adam(t.w2t.length);
        double initial = t.pass(false);
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
            progress.checkCancelled();
            t.pass(true);
            a1.step(t.w1, t.g1, settings.learningRate(), epoch);
            a2.step(t.w2t, t.g2t, settings.learningRate(), epoch);
            progress.update(epoch, settings.epochs(), "training predictor");
        }
        double fin = t.pass(false);
        MlpPredictor p = new MlpPredictor(t.D, t.w, t.F, t.w1, t.w2t, threshold);
        return new Result(p, initial, fin, t.positiveWeight, (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * One full-batch pass. With {@code gradients} it accumulates dLoss/dW into g1, g2t and returns NaN; without, it
     * returns the mean weighted BCE (only needed before and after training, so its logs stay off the hot path).
     */
    private double pass(boolean gradients) {
        if (gradients) {
            Arrays.fill(g1, 0f);
            Arrays.fill(g2t, 0f);
        }
        float scale = 1f / ((float) n * F);
        double sum = 0;
        for (int i0 = 0; i0 < padded; i0 += B) {
            forward(i0);
            for (int b = 0; b < B && i0 + b < n; b++) {
                int yOff = (i0 + b) * F;
                if (gradients) lossGradient(b * F, yOff, scale);
                else for (int j = 0; j < F; j++) {
                    float zj = z[b * F + j];
                    sum += y[yOff + j] > 0 ? positiveWeight * softplus(-zj) : softplus(zj);
                }
            }
            if (!gradients) continue;
            // Padding rows have zero inputs, so zero hidden units: they add nothing to either gradient.
            for (int b = n - i0; b < B; b++) Arrays.fill(z, b * F, (b + 1) * F, 0f);
            backward(i0);
        }
        return gradients ? Double.NaN : sum / ((double) n * F);
    }

    /** hidden (B x w) and logits z (B x F) of samples i0 .. i0+B. */
    private void forward(int i0) {
        Arrays.fill(z, 0f);
        for (int b = 0; b < B; b++) {
            for (int k = 0; k < w; k++) hidden[b * w + k] = Math.max(0f, Kernels.dot(w1, k * D, x, (i0 + b) * D, D));
        }
        for (int k = 0; k < w; k++) if (hiddenUnit(k)) forwardUnit(k);
    }

    /** z_b += hk[b] * W2^T row k, for the B samples at once. */
    private void forwardUnit(int k) {
        Kernels.axpy4(w2t, k * F, hk, z, F);
    }

    /** With z holding dLoss/dz of the block: g2t += dz h^T, and g1 += (W2 dz masked by relu') x^T. */
    private void backward(int i0) {
        for (int k = 0; k < w; k++) if (hiddenUnit(k)) backwardUnit(k, i0);
    }

    /** For unit k: g2t row k += sum_b hk[b] dz_b, and g1 row k += (W2^T row k . dz_b) x_b where unit k fired. */
    private void backwardUnit(int k, int i0) {
        Kernels.dotsAndOuter4(w2t, k * F, z, F, hk, g2t, dots);
        for (int b = 0; b < B; b++) if (hk[b] > 0) Kernels.axpy(dots[b], x, (i0 + b) * D, g1, k * D, D);
    }

    /** Loads hidden unit k of the block's samples into hk; false when it is zero for all of them (nothing to do). */
    private boolean hiddenUnit(int k) {
        boolean any = false;
        for (int b = 0; b < B; b++) any |= (hk[b] = hidden[b * w + k]) > 0;
        return any;
    }

    /** z[zOff ..] := scale * dBCE/dz = scale * (sigmoid(z) (1 + y (pw - 1)) - y pw), labels at y[yOff ..]. */
    private void lossGradient(int zOff, int yOff, float scale) {
        Kernels.weightedBceGradient(z, zOff, y, yOff, F, positiveWeight, scale);
    }

    private static double softplus(double v) {
        return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
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
