package dev.rwkvedge.studio.views.sparsity;

import dev.rwkvedge.analysis.LayerActivity;
import dev.rwkvedge.compress.sparse.PredictorKind;
import dev.rwkvedge.compress.sparse.PredictorReport;
import java.nio.file.Path;
import java.util.List;

/**
 * What the sparsity view shows for one model: the channel-mix activity on the calibration text, and per layer the
 * trained predictor's held-out report and its threshold sweep (recall and predicted sparsity per threshold).
 *
 * @param trainedThreshold the operating point the predictors were built at (the MLP threshold, or the 1-bit p)
 */
public record SparsityProfile(Path calibration, int tokens, PredictorKind kind, double trainedThreshold,
                              List<LayerActivity> layers, List<PredictorReport> reports,
                              List<List<PredictorReport.SweepPoint>> sweeps) {
    public SparsityProfile {
        layers = List.copyOf(layers);
        reports = List.copyOf(reports);
        sweeps = sweeps.stream().map(List::copyOf).toList();
    }

    /** The sweep point of a layer nearest to a threshold: the slider moves over measured points, nothing is retrained. */
    public PredictorReport.SweepPoint at(int layer, double threshold) {
        PredictorReport.SweepPoint best = null;
        for (PredictorReport.SweepPoint p : sweeps.get(layer)) {
            if (best == null || Math.abs(p.threshold() - threshold) < Math.abs(best.threshold() - threshold)) best = p;
        }
        return best;
    }
}
