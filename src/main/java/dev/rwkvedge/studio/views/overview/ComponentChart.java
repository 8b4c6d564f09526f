package dev.rwkvedge.studio.views.overview;

import dev.rwkvedge.model.ModelSummary;
import dev.rwkvedge.studio.ui.CsvTable;
import dev.rwkvedge.studio.ui.Formats;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Tooltip;

/**
 * Where parameters and bytes go, as shares of the total side by side: for a float model the two bars match, and
 * compression shows as the bytes bar shrinking. A JavaFX BarChart: five named categories with grouped bars, a legend and
 * tooltips come with it, where ChartFX (numeric axes, for the spectra) would need a category axis and shifted bars.
 */
final class ComponentChart {
    private final CategoryAxis x = new CategoryAxis();
    private final NumberAxis y = new NumberAxis(0, 100, 10);
    private final BarChart<String, Number> chart = new BarChart<>(x, y);
    private ModelSummary summary;

    ComponentChart() {
        chart.setId("component-chart");
        chart.setAnimated(false);
        chart.setTitle("Where parameters and bytes go");
        chart.setCategoryGap(24);
        chart.setBarGap(3);
        y.setLabel("% of total");
        chart.setMinHeight(260);
    }

    void show(ModelSummary s) {
        summary = s;
        chart.getData().clear();
        if (s == null) return;
        double largest = s.components().stream().mapToDouble(c -> Math.max(
                share(c.parameters(), s.parameters()), share(c.bytes(), s.bytes()))).max().orElse(1);
        // a fixed 0-100 axis leaves half the chart empty when no part holds more than half the model
        y.setUpperBound(Math.min(100, Math.ceil((largest * 100 + 2) / 10) * 10));
        XYChart.Series<String, Number> params = new XYChart.Series<>();
        params.setName("parameters (" + Formats.count(s.parameters()) + ")");
        XYChart.Series<String, Number> bytes = new XYChart.Series<>();
        bytes.setName("bytes (" + Formats.bytes(s.bytes()) + ")");
        for (ModelSummary.Component c : s.components()) {
            params.getData().add(point(c.name(), c.parameters(), s.parameters(), Formats.count(c.parameters()) + " parameters"));
            bytes.getData().add(point(c.name(), c.bytes(), s.bytes(), Formats.bytes(c.bytes())));
        }
        chart.getData().setAll(List.of(params, bytes));
    }

    private static XYChart.Data<String, Number> point(String name, long part, long total, String detail) {
        double share = share(part, total);
        XYChart.Data<String, Number> d = new XYChart.Data<>(name, 100 * share);
        String tip = name + ": " + detail + " (" + Formats.percent(share) + ")";
        d.nodeProperty().addListener((o, was, node) -> {
            if (node != null) Tooltip.install(node, new Tooltip(tip));
        });
        return d;
    }

    CsvTable data() {
        List<List<String>> rows = new ArrayList<>();
        if (summary != null) {
            for (ModelSummary.Component c : summary.components()) {
                rows.add(List.of(c.name(), Long.toString(c.parameters()), Long.toString(c.bytes()),
                        Double.toString(share(c.parameters(), summary.parameters())),
                        Double.toString(share(c.bytes(), summary.bytes()))));
            }
        }
        return new CsvTable(List.of("component", "parameters", "bytes", "parameter_share", "byte_share"), rows);
    }

    private static double share(long part, long total) {
        return total > 0 ? (double) part / total : 0;
    }

    BarChart<String, Number> node() {
        return chart;
    }
}
