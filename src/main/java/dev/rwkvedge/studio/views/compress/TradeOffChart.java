package dev.rwkvedge.studio.views.compress;

import dev.rwkvedge.studio.ui.CsvTable;
import dev.rwkvedge.studio.ui.Formats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import javafx.scene.Cursor;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.util.Duration;

/**
 * Size against quality, one point per configuration tried, with the Pareto front as a line and the current recipe
 * highlighted; clicking a point hands its configuration back. A JavaFX LineChart rather than ChartFX: every point is
 * a node of its own, which gives per-point click handlers, tooltips and style classes for free.
 */
public final class TradeOffChart {
    private final NumberAxis x = new NumberAxis();
    private final NumberAxis y = new NumberAxis();
    private final LineChart<Number, Number> chart = new LineChart<>(x, y);
    private final Map<String, Node> nodes = new HashMap<>();
    private final Consumer<TradeOffPoint> onPick;
    private List<TradeOffPoint> shown = List.of();
    private QualityMetric metric = QualityMetric.TOP1;

    TradeOffChart(Consumer<TradeOffPoint> onPick) {
        this.onPick = onPick;
        chart.setId("tradeoff-chart");
        chart.getStyleClass().add("tradeoff-chart");
        chart.setAnimated(false);
        chart.setCreateSymbols(false);
        chart.setLegendVisible(false);
        chart.setAxisSortingPolicy(LineChart.SortingPolicy.NONE);
        x.setLabel("resident size (MB)");
        x.setForceZeroInRange(false);
        y.setForceZeroInRange(false);
        chart.setMinHeight(280);
    }

    /** Redraws every point measured on the metric; the one with {@code currentKey} is highlighted. */
    void show(List<TradeOffPoint> points, String currentKey, QualityMetric metric) {
        this.metric = metric;
        y.setLabel(metric.label);
        shown = points.stream().filter(p -> metric.of(p) != null).toList();
        List<TradeOffPoint> onFront = ParetoFront.of(shown, metric);
        XYChart.Series<Number, Number> front = new XYChart.Series<>();
        front.setName("Pareto front");
        for (TradeOffPoint p : onFront) front.getData().add(new XYChart.Data<>(p.residentMegabytes(), metric.of(p)));
        XYChart.Series<Number, Number> tried = new XYChart.Series<>();
        tried.setName("configurations");
        nodes.clear();
        XYChart.Data<Number, Number> current = null;
        for (TradeOffPoint p : shown) {
            XYChart.Data<Number, Number> d = new XYChart.Data<>(p.residentMegabytes(), metric.of(p));
            // the chart replaces the symbol's style classes with its own, so the look goes on a mark inside it
            Region mark = new Region();
            mark.getStyleClass().add("tradeoff-point");
            if (onFront.contains(p)) mark.getStyleClass().add("pareto");
            if (p.key().equals(currentKey)) mark.getStyleClass().add("current");
            StackPane dot = new StackPane(mark);
            dot.setCursor(Cursor.HAND);
            dot.setOnMouseClicked(e -> onPick.accept(p));
            Tooltip tip = new Tooltip(describe(p));
            tip.setShowDelay(Duration.millis(150));
            Tooltip.install(dot, tip);
            d.setNode(dot);
            nodes.put(p.key(), dot);
            if (p.key().equals(currentKey)) current = d;
            else tried.getData().add(d);
        }
        // the current point last, so it is drawn above the others
        if (current != null) tried.getData().add(current);
        chart.getData().setAll(List.of(front, tried));
    }

    private static String describe(TradeOffPoint p) {
        String s = RecipeLabels.describe(p.recipe()) + "\n" + Formats.bytes(p.size().residentBytes()) + " resident, "
                + String.format(Locale.ROOT, "%.2fx smaller than fp16", p.size().ratioVsFp16()) + "\n"
                + String.format(Locale.ROOT, "top-1 agreement %s, mean KL %.4f", Formats.percent(p.top1Agreement()),
                p.meanKl());
        if (p.taskScore() != null) s += "\nlast-word accuracy " + Formats.percent(p.taskScore());
        return s + "\nClick to restore this recipe";
    }

    /** The drawn node of the point with this recipe JSON, or null when it is not shown. */
    public Node pointNode(String key) {
        return nodes.get(key);
    }

    /** The points shown now (those measured on the chart's metric). */
    public List<TradeOffPoint> shown() {
        return shown;
    }

    public QualityMetric metric() {
        return metric;
    }

    CsvTable csv(List<TradeOffPoint> points) {
        List<List<String>> rows = new ArrayList<>();
        List<TradeOffPoint> front = ParetoFront.of(points, metric);
        for (TradeOffPoint p : points) {
            rows.add(List.of(RecipeLabels.describe(p.recipe()), Long.toString(p.size().residentBytes()),
                    String.format(Locale.ROOT, "%.4f", p.size().ratioVsFp16()),
                    String.format(Locale.ROOT, "%.4f", p.size().ratioVsFp32()),
                    String.format(Locale.ROOT, "%.6f", p.top1Agreement()), String.format(Locale.ROOT, "%.6g", p.meanKl()),
                    p.taskScore() == null ? "" : String.format(Locale.ROOT, "%.6f", p.taskScore()),
                    Boolean.toString(front.contains(p)), p.recipe().toJson().replaceAll("\\s+", " ")));
        }
        return new CsvTable(List.of("recipe", "resident_bytes", "ratio_vs_fp16", "ratio_vs_fp32", "top1_agreement",
                "mean_kl", "lastword_accuracy", "pareto", "recipe_json"), rows);
    }

    LineChart<Number, Number> node() {
        return chart;
    }
}
