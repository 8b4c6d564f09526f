package dev.rwkvedge.studio.views.sparsity;

import dev.rwkvedge.analysis.LayerActivity;
import dev.rwkvedge.studio.ui.CsvTable;
import dev.rwkvedge.studio.ui.Formats;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Tooltip;

/**
 * Per layer, the share of channel-mix activations that are exactly zero: the neurons a perfect predictor would skip.
 * A JavaFX BarChart, like the overview's, for its category axis; clicking a bar selects the layer.
 */
final class LayerSparsityChart {
    private final CategoryAxis x = new CategoryAxis();
    private final NumberAxis y = new NumberAxis(0, 100, 20);
    private final BarChart<String, Number> chart = new BarChart<>(x, y);
    private final IntConsumer onSelect;
    private List<LayerActivity> layers = List.of();

    LayerSparsityChart(IntConsumer onSelect) {
        this.onSelect = onSelect;
        chart.setId("layer-sparsity-chart");
        chart.setAnimated(false);
        chart.setLegendVisible(false);
        chart.setCategoryGap(12);
        x.setLabel("layer");
        y.setLabel("% zeros");
        chart.setMinHeight(220);
    }

    void show(List<LayerActivity> activity) {
        layers = activity == null ? List.of() : List.copyOf(activity);
        XYChart.Series<String, Number> s = new XYChart.Series<>();
        for (LayerActivity a : layers) {
            XYChart.Data<String, Number> d = new XYChart.Data<>("L" + a.layer(), 100 * a.sparsity());
            String tip = "layer " + a.layer() + ": " + Formats.percent(a.sparsity()) + " zeros, " + a.deadNeurons()
                    + " of " + a.width() + " neurons never fired";
            int layer = a.layer();
            d.nodeProperty().addListener((o, was, node) -> {
                if (node == null) return;
                Tooltip.install(node, new Tooltip(tip));
                node.setOnMouseClicked(e -> onSelect.accept(layer));
                node.setStyle("-fx-cursor: hand;");
            });
            s.getData().add(d);
        }
        chart.getData().setAll(List.of(s));
    }

    /** The heights of the bars, as fractions, in layer order. */
    double[] shown() {
        if (chart.getData().isEmpty()) return new double[0];
        return chart.getData().getFirst().getData().stream().mapToDouble(d -> d.getYValue().doubleValue() / 100).toArray();
    }

    CsvTable data() {
        List<List<String>> rows = new ArrayList<>();
        for (LayerActivity a : layers) {
            rows.add(List.of(Integer.toString(a.layer()), Integer.toString(a.width()), Long.toString(a.tokens()),
                    Double.toString(a.sparsity()), Integer.toString(a.deadNeurons())));
        }
        return new CsvTable(List.of("layer", "neurons", "tokens", "sparsity", "dead_neurons"), rows);
    }

    BarChart<String, Number> node() {
        return chart;
    }
}
