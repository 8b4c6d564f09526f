package dev.rwkvedge.studio.views.sparsity;

import dev.rwkvedge.analysis.LayerActivity;
import dev.rwkvedge.studio.ui.CsvTable;
import dev.rwkvedge.studio.views.spectra.LineCharts;
import io.fair_acc.chartfx.XYChart;
import io.fair_acc.chartfx.axes.spi.DefaultNumericAxis;
import io.fair_acc.chartfx.renderer.LineStyle;
import io.fair_acc.chartfx.renderer.spi.ErrorDataSetRenderer;
import io.fair_acc.dataset.spi.DoubleDataSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How often each neuron of one layer fires, as a histogram over neurons: a pile at the left means many neurons that
 * rarely fire (cheap to skip), one at 0 means dead neurons.
 */
final class FiringHistogram {
    static final int BINS = 20;
    private final DefaultNumericAxis x = LineCharts.fixedAxis("share of tokens a neuron fires on", 0, 1, 0.1);
    private final DefaultNumericAxis y = LineCharts.axis("neurons");
    private final DoubleDataSet counts = new DoubleDataSet("neurons");
    private final XYChart chart = LineCharts.chart("firing-histogram", x, y, counts);
    private int[] bins = new int[BINS];

    FiringHistogram() {
        y.setForceZeroInRange(true);
        ((ErrorDataSetRenderer) chart.getRenderers().getFirst()).setPolyLineStyle(LineStyle.HISTOGRAM_FILLED);
    }

    void show(LayerActivity a) {
        bins = a == null ? new int[BINS] : bin(a.firingFrequency());
        double[] xs = new double[BINS], ys = new double[BINS];
        for (int i = 0; i < BINS; i++) {
            xs[i] = (i + 0.5) / BINS;
            ys[i] = bins[i];
        }
        counts.set(xs, ys);
        chart.setTitle(a == null ? "Firing frequency" : String.format(Locale.ROOT,
                "Layer %d: %d neurons, %d never fired", a.layer(), a.width(), a.deadNeurons()));
    }

    /** Bin i holds frequencies in [i/BINS, (i+1)/BINS); a frequency of exactly 1 goes into the last bin. */
    static int[] bin(double[] frequency) {
        int[] b = new int[BINS];
        for (double f : frequency) if (!Double.isNaN(f)) b[Math.min(BINS - 1, (int) (f * BINS))]++;
        return b;
    }

    CsvTable data() {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < BINS; i++) {
            rows.add(List.of(Double.toString((double) i / BINS), Double.toString((double) (i + 1) / BINS),
                    Integer.toString(bins[i])));
        }
        return new CsvTable(List.of("from", "to", "neurons"), rows);
    }

    XYChart node() {
        return chart;
    }
}
