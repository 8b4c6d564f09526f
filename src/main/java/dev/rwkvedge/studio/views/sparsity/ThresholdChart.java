package dev.rwkvedge.studio.views.sparsity;

import dev.rwkvedge.compress.sparse.PredictorKind;
import dev.rwkvedge.compress.sparse.PredictorReport;
import dev.rwkvedge.studio.ui.CsvTable;
import dev.rwkvedge.studio.views.spectra.LineCharts;
import io.fair_acc.chartfx.XYChart;
import io.fair_acc.chartfx.axes.spi.DefaultNumericAxis;
import io.fair_acc.chartfx.plugins.XValueIndicator;
import io.fair_acc.dataset.spi.DoubleDataSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The predictor's trade-off on held-out tokens: recall (active neurons it computes; misses cost accuracy) and
 * predicted sparsity (neurons it skips; the speed-up) against its threshold, with the threshold under consideration
 * marked.
 */
final class ThresholdChart {
    private final DefaultNumericAxis x = LineCharts.fixedAxis("threshold", 0, 1, 0.1);
    private final DefaultNumericAxis y = LineCharts.fixedAxis("share", 0, 1, 0.1);
    private final DoubleDataSet recall = new DoubleDataSet("recall");
    private final DoubleDataSet sparsity = new DoubleDataSet("predicted sparsity");
    private final XYChart chart = LineCharts.chart("threshold-chart", x, y, recall, sparsity);
    private final XValueIndicator marker = LineCharts.marker(chart, x);
    private List<PredictorReport.SweepPoint> points = List.of();

    void show(List<PredictorReport.SweepPoint> sweep, PredictorKind kind, int layer) {
        points = sweep == null ? List.of() : List.copyOf(sweep);
        int n = points.size();
        double[] t = new double[n], r = new double[n], s = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = points.get(i).threshold();
            r[i] = points.get(i).recall();
            s[i] = points.get(i).predictedSparsity();
        }
        recall.set(t, r);
        sparsity.set(t, s);
        x.setName(kind == PredictorKind.ONE_BIT ? "1-bit predictor's target sparsity p" : "MLP probability threshold");
        chart.setTitle(sweep == null ? "Predictor threshold" : "Layer " + layer + " predictor (" + kind + ")");
    }

    void mark(double threshold) {
        marker.setValue(threshold);
        marker.setText(String.format(java.util.Locale.ROOT, "%.2f", threshold));
    }

    double markerValue() {
        return marker.getValue();
    }

    CsvTable data() {
        List<List<String>> rows = new ArrayList<>();
        for (PredictorReport.SweepPoint p : points) {
            rows.add(List.of(Double.toString(p.threshold()), Double.toString(p.recall()),
                    Double.toString(p.predictedSparsity()), Double.toString(p.precision())));
        }
        return new CsvTable(List.of("threshold", "recall", "predicted_sparsity", "precision"), rows);
    }

    XYChart node() {
        return chart;
    }
}
