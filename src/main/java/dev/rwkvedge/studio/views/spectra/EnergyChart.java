package dev.rwkvedge.studio.views.spectra;

import dev.rwkvedge.analysis.AnalyzedMatrix;
import dev.rwkvedge.analysis.SpectrumMetrics;
import dev.rwkvedge.studio.ui.CsvTable;
import io.fair_acc.chartfx.XYChart;
import io.fair_acc.chartfx.axes.spi.DefaultNumericAxis;
import io.fair_acc.chartfx.plugins.XValueIndicator;
import io.fair_acc.chartfx.plugins.YValueIndicator;
import io.fair_acc.dataset.spi.DoubleDataSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Cumulative energy (share of the squared Frobenius norm a rank-r truncation keeps) against r: the curve a rank
 * choice reads off. Two markers cross at the current rank and the energy it keeps.
 */
final class EnergyChart {
    private final DefaultNumericAxis x = LineCharts.axis("rank r");
    private final DefaultNumericAxis y = LineCharts.fixedAxis("energy kept", 0, 1.0, 0.1);
    private final DoubleDataSet curve = new DoubleDataSet("energy kept");
    private final XYChart chart = LineCharts.chart("energy-chart", x, y, curve);
    private final XValueIndicator rankMarker = LineCharts.marker(chart, x);
    private final YValueIndicator energyMarker = new YValueIndicator(y, 0);
    private AnalyzedMatrix matrix;

    EnergyChart() {
        chart.setTitle("Energy kept by rank");
        energyMarker.setEditable(false);
        chart.getPlugins().add(energyMarker);
    }

    void show(AnalyzedMatrix m) {
        matrix = m;
        double[] e = m == null ? new double[0] : SpectrumMetrics.energyCurve(m.spectrum().values());
        double[] r = new double[e.length];
        for (int i = 0; i < r.length; i++) r[i] = i;
        curve.set(r, e);
    }

    void markRank(int r, double energy) {
        rankMarker.setValue(r);
        rankMarker.setText("r = " + r);
        energyMarker.setValue(Double.isNaN(energy) ? 0 : energy);
        energyMarker.setText(String.format(java.util.Locale.ROOT, "%.1f%%", 100 * energy));
    }

    double markerRank() {
        return rankMarker.getValue();
    }

    double markerEnergy() {
        return energyMarker.getValue();
    }

    CsvTable data() {
        List<List<String>> rows = new ArrayList<>();
        if (matrix != null) {
            double[] e = SpectrumMetrics.energyCurve(matrix.spectrum().values());
            for (int r = 0; r < e.length; r++) {
                rows.add(List.of(Integer.toString(r), Double.toString(e[r]),
                        Long.toString(matrix.parameterSaving(r))));
            }
        }
        return new CsvTable(List.of("rank", "energy_kept", "parameters_saved"), rows);
    }

    XYChart node() {
        return chart;
    }
}
