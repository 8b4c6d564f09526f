package dev.rwkvedge.compress.sparse;

import java.util.ArrayList;
import java.util.List;

/**
 * How one layer's predictor does on held-out samples: the true sparsity (fraction of neurons inactive), the
 * predicted sparsity (fraction not computed), recall (fraction of truly active neurons predicted: what misses cost
 * in accuracy) and precision (fraction of computed neurons that were active: what false alarms cost in speed).
 */
public record PredictorReport(int layer, String predictor, int samples, double trueSparsity,
                              double predictedSparsity, double recall, double precision) {

    /** One point of the threshold curve the studio draws. */
    public record SweepPoint(double threshold, double recall, double predictedSparsity, double precision) {}

    /** Raw counts over samples x neurons decisions. */
    record Counts(long decisions, long actual, long predicted, long hits) {
        double recall() {
            return actual == 0 ? 1 : (double) hits / actual;
        }

        double precision() {
            return predicted == 0 ? 1 : (double) hits / predicted;
        }
    }

    /** Evaluates {@code predictor} on the given sample rows. */
    public static PredictorReport of(int layer, SparsityPredictor predictor, LayerSamples s, int[] rows) {
        Counts c = count(predictor, s, rows);
        double n = c.decisions();
        return new PredictorReport(layer, predictor.toString(), rows.length, n == 0 ? 0 : 1 - c.actual() / n,
                n == 0 ? 0 : 1 - c.predicted() / n, c.recall(), c.precision());
    }

    /** Recall, predicted sparsity and precision of the same predictor at each threshold. */
    public static List<SweepPoint> thresholdSweep(SparsityPredictor predictor, LayerSamples s, int[] rows,
                                                  double... thresholds) {
        List<SweepPoint> out = new ArrayList<>();
        for (double t : thresholds) {
            Counts c = count(predictor.atThreshold(t), s, rows);
            double n = Math.max(1, c.decisions());
            out.add(new SweepPoint(t, c.recall(), 1 - c.predicted() / n, c.precision()));
        }
        return out;
    }

    static Counts count(SparsityPredictor predictor, LayerSamples s, int[] rows) {
        int[] idx = new int[s.neurons()];
        long actual = 0, predicted = 0, hits = 0;
        for (int r : rows) {
            int n = predictor.predict(s.inputsArray(), s.inputOffset(r), idx);
            predicted += n;
            actual += s.activeCount(r);
            for (int i = 0; i < n; i++) if (s.active(r, idx[i])) hits++;
        }
        return new Counts((long) rows.length * s.neurons(), actual, predicted, hits);
    }
}
