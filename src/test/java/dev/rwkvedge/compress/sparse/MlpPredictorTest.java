package dev.rwkvedge.compress.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.task.ProgressListener;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MlpPredictorTest {
    static LayerSamples samples;
    static LayerSamples.Split split;
    static MlpTrainer.Result trained;

    @BeforeAll
    static void train() throws Exception {
        samples = TinyModels.samples(TinyModels.V5_2).get(2);
        split = samples.split(0.2, 42);
        trained = MlpTrainer.train(samples, split.train(), MlpTrainer.Settings.DEFAULT, 0.7, ProgressListener.NONE);
        System.out.printf("MLP 64->64->256, %d samples, 100 epochs: %d ms, loss %.4f -> %.4f%n", split.train().length,
                trained.millis(), trained.initialLoss(), trained.finalLoss());
    }

    @Test
    void trainingReducesTheWeightedBce() {
        assertTrue(trained.finalLoss() < 0.8 * trained.initialLoss(), trained.initialLoss() + " -> " + trained.finalLoss());
        // The reported loss is the weighted BCE of the returned weights, recomputed here from its probabilities.
        MlpPredictor p = trained.predictor();
        double sum = 0, pw = trained.positiveWeight();
        long positives = 0;
        for (int r : split.train()) {
            float[] prob = p.probabilities(samples.inputsArray(), samples.inputOffset(r));
            for (int j = 0; j < samples.neurons(); j++) {
                boolean y = samples.active(r, j);
                positives += y ? 1 : 0;
                sum += y ? -pw * Math.log(prob[j]) : -Math.log(1 - prob[j]);
            }
        }
        long decisions = (long) split.train().length * samples.neurons();
        assertEquals((double) (decisions - positives) / positives, pw, 1e-5);
        assertEquals(sum / decisions, trained.finalLoss(), 1e-3 * trained.finalLoss());
    }

    @Test
    void reportEqualsADirectCount() {
        MlpPredictor p = trained.predictor();
        long actual = 0, predicted = 0, hits = 0;
        for (int r : split.validation()) {
            boolean[] mask = p.mask(samples.inputsArray(), samples.inputOffset(r));
            for (int j = 0; j < samples.neurons(); j++) {
                boolean y = samples.active(r, j);
                actual += y ? 1 : 0;
                predicted += mask[j] ? 1 : 0;
                hits += y && mask[j] ? 1 : 0;
            }
        }
        double n = (double) split.validation().length * samples.neurons();
        PredictorReport rep = PredictorReport.of(2, p, samples, split.validation());
        assertEquals((double) hits / actual, rep.recall(), 1e-12);
        assertEquals((double) hits / predicted, rep.precision(), 1e-12);
        assertEquals(1 - actual / n, rep.trueSparsity(), 1e-12);
        assertEquals(1 - predicted / n, rep.predictedSparsity(), 1e-12);
        assertTrue(rep.recall() > 0.5 && rep.precision() > 0.6, rep.toString());
    }

    @Test
    void thresholdZeroPredictsEverythingAndTheSweepIsMonotone() {
        PredictorReport all = PredictorReport.of(2, trained.predictor().atThreshold(0), samples, split.validation());
        assertEquals(1.0, all.recall());
        assertEquals(0.0, all.predictedSparsity());
        List<PredictorReport.SweepPoint> sweep = PredictorReport.thresholdSweep(trained.predictor(), samples,
                split.validation(), 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9);
        for (int i = 1; i < sweep.size(); i++) {
            assertTrue(sweep.get(i).recall() <= sweep.get(i - 1).recall(), sweep.toString());
            assertTrue(sweep.get(i).predictedSparsity() >= sweep.get(i - 1).predictedSparsity(), sweep.toString());
        }
        assertTrue(sweep.get(0).recall() > sweep.get(8).recall(), sweep.toString());
    }

    /** A problem it can learn exactly (labels from a random linear map) separates the trainer from the data. */
    @Test
    void learnsALinearlySeparableActivationPattern() {
        int D = 16, F = 32, n = 600;
        SplittableRandom rnd = new SplittableRandom(5);
        float[] a = new float[F * D], x = new float[n * D];
        for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        long[] mask = new long[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < F; j++) {
                double d = 0;
                for (int c = 0; c < D; c++) d += a[j * D + c] * x[i * D + c];
                if (d > 0) mask[i] |= 1L << j;
            }
        }
        LayerSamples s = new LayerSamples(D, F, n, x, mask);
        LayerSamples.Split sp = s.split(0.2, 1);
        MlpPredictor p = MlpTrainer.train(s, sp.train(), MlpTrainer.Settings.DEFAULT, 0.5, ProgressListener.NONE)
                .predictor();
        PredictorReport rep = PredictorReport.of(0, p, s, sp.validation());
        assertTrue(rep.recall() > 0.9 && rep.precision() > 0.9, rep.toString());
        assertEquals(4L * (D * 64 + 64 * F), p.residentBytes());
    }
}
