package dev.rwkvedge.studio.views.spectra;

import io.fair_acc.chartfx.XYChart;
import io.fair_acc.chartfx.axes.spi.DefaultNumericAxis;
import io.fair_acc.chartfx.plugins.XValueIndicator;
import io.fair_acc.chartfx.renderer.ErrorStyle;
import io.fair_acc.chartfx.renderer.LineStyle;
import io.fair_acc.chartfx.renderer.spi.ErrorDataSetRenderer;
import io.fair_acc.dataset.spi.DoubleDataSet;

/** The ChartFX set-up the analysis views share: numeric axes, plain lines without markers, a movable marker. */
public final class LineCharts {
    private LineCharts() {}

    public static DefaultNumericAxis axis(String name) {
        DefaultNumericAxis a = new DefaultNumericAxis(name);
        a.setUnit(null);
        a.setAutoRanging(true);
        a.setAutoRangeRounding(false);
        a.setForceZeroInRange(false);
        return a;
    }

    public static DefaultNumericAxis fixedAxis(String name, double min, double max, double tick) {
        DefaultNumericAxis a = new DefaultNumericAxis(name, min, max, tick);
        // no unit: shares and ranks have none, and ChartFX would print "[]"
        a.setUnit(null);
        a.setAutoRanging(false);
        return a;
    }

    public static XYChart chart(String id, DefaultNumericAxis x, DefaultNumericAxis y, DoubleDataSet... data) {
        XYChart chart = new XYChart(x, y);
        chart.setId(id);
        chart.setAnimated(false);
        ErrorDataSetRenderer lines = new ErrorDataSetRenderer();
        lines.setErrorStyle(ErrorStyle.NONE);
        lines.setPolyLineStyle(LineStyle.NORMAL);
        lines.setDrawMarker(false);
        lines.getDatasets().addAll(data);
        chart.getRenderers().setAll(lines);
        chart.setLegendVisible(data.length > 1);
        chart.setMinHeight(200);
        return chart;
    }

    /** A vertical line the program moves (not the user: the slider beside the chart is the control). */
    public static XValueIndicator marker(XYChart chart, DefaultNumericAxis x) {
        XValueIndicator m = new XValueIndicator(x, 0);
        m.setEditable(false);
        chart.getPlugins().add(m);
        return m;
    }
}
