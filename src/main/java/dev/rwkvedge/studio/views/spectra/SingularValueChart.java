package dev.rwkvedge.studio.views.spectra;

import dev.rwkvedge.analysis.AnalyzedMatrix;
import dev.rwkvedge.studio.ui.CsvTable;
import io.fair_acc.chartfx.XYChart;
import io.fair_acc.chartfx.axes.spi.DefaultNumericAxis;
import io.fair_acc.chartfx.plugins.XValueIndicator;
import io.fair_acc.dataset.spi.DoubleDataSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The selected matrix's singular values against their index on a log axis, where a heavy tail or a sharp knee shows;
 * the marker is the rank being considered. Exact zeros (the padding of a LoRA product beyond its rank) have no place
 * on a log axis and are left out.
 */
final class SingularValueChart {
    private final DefaultNumericAxis x = LineCharts.axis("index i");
    private final DefaultNumericAxis y = LineCharts.axis("singular value");
    private final DoubleDataSet values = new DoubleDataSet("singular values");
    private final XYChart chart = LineCharts.chart("singular-value-chart", x, y, values);
    private final XValueIndicator marker = LineCharts.marker(chart, x);
    private AnalyzedMatrix matrix;

    SingularValueChart() {
        y.setLogAxis(true);
        y.setLogarithmBase(10);
        chart.setTitle("Singular values");
    }

    void show(AnalyzedMatrix m) {
        matrix = m;
        float[] s = m == null ? new float[0] : m.spectrum().values();
        int n = 0;
        while (n < s.length && s[n] > 0) n++;
        double[] xs = new double[n], ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = i + 1;
            ys[i] = s[i];
        }
        values.set(xs, ys);
        chart.setTitle(m == null ? "Singular values" : "Singular values of " + m.key());
    }

    void markRank(int r) {
        marker.setValue(r);
        marker.setText("r = " + r);
    }

    /** The plotted values, largest first. */
    double[] plotted() {
        return values.getValues(DoubleDataSet.DIM_Y).length == values.getDataCount()
                ? values.getValues(DoubleDataSet.DIM_Y).clone()
                : java.util.Arrays.copyOf(values.getValues(DoubleDataSet.DIM_Y), values.getDataCount());
    }

    double markerValue() {
        return marker.getValue();
    }

    CsvTable data() {
        List<List<String>> rows = new ArrayList<>();
        if (matrix != null) {
            float[] s = matrix.spectrum().values();
            for (int i = 0; i < s.length; i++) rows.add(List.of(Integer.toString(i + 1), Float.toString(s[i])));
        }
        return new CsvTable(List.of("index", "singular_value"), rows);
    }

    XYChart node() {
        return chart;
    }
}
