package dev.rwkvedge.studio.views.compress;

import dev.rwkvedge.studio.ui.CsvTable;
import dev.rwkvedge.studio.ui.Formats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javafx.scene.Cursor;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.util.Duration;

/**
 * Size against quality, one point per configuration tried, with the Pareto front as a line, the dense model as a
 * point of its own, task scores with their 95 % intervals as vertical bars, the current recipe ringed and pinned
 * points marked; a click hands a point's configuration back, a right click pins it. A JavaFX LineChart rather than
 * ChartFX: every point is a node of its own, which gives per-point click handlers, tooltips and style classes.
 */
public final class TradeOffChart {
    private final NumberAxis x = new NumberAxis();
    private final NumberAxis y = new NumberAxis();
    private final LineChart<Number, Number> chart = new LineChart<>(x, y);
    private final Map<String, Node> nodes = new HashMap<>();
    private final Consumer<TradeOffPoint> onPick, onPin;
    private List<TradeOffPoint> shown = List.of();
    private QualityMetric metric = QualityMetric.TOP1;
    private SizeAxis axis = SizeAxis.RESIDENT;

    TradeOffChart(Consumer<TradeOffPoint> onPick, Consumer<TradeOffPoint> onPin) {
        this.onPick = onPick;
        this.onPin = onPin;
        chart.setId("tradeoff-chart");
        chart.getStyleClass().add("tradeoff-chart");
        chart.setAnimated(false);
        chart.setCreateSymbols(false);
        chart.setLegendVisible(false);
        chart.setAxisSortingPolicy(LineChart.SortingPolicy.NONE);
        x.setForceZeroInRange(false);
        y.setForceZeroInRange(false);
        chart.setMinHeight(240);
    }

    /** Redraws every point measured on the metric and the axis; {@code currentKey} ringed, {@code pinned} marked. */
    void show(List<TradeOffPoint> points, String currentKey, QualityMetric metric, SizeAxis axis, Set<String> pinned) {
        this.metric = metric;
        this.axis = axis;
        x.setLabel(axis.label);
        y.setLabel(metric.label);
        shown = points.stream().filter(p -> metric.of(p) != null && axis.bytes(p) != null).toList();
        List<TradeOffPoint> onFront = ParetoFront.of(shown, metric, axis);
        List<XYChart.Series<Number, Number>> series = new ArrayList<>();
        XYChart.Series<Number, Number> front = new XYChart.Series<>();
        front.setName("Pareto front");
        for (TradeOffPoint p : onFront) front.getData().add(new XYChart.Data<>(mb(p), metric.of(p)));
        series.add(front);
        List<XYChart.Series<Number, Number>> intervals = new ArrayList<>();
        for (TradeOffPoint p : shown) {
            double[] ci = metric.interval(p);
            if (ci == null) continue;
            XYChart.Series<Number, Number> bar = new XYChart.Series<>();
            bar.setName("95 % interval");
            bar.getData().add(new XYChart.Data<>(mb(p), ci[0]));
            bar.getData().add(new XYChart.Data<>(mb(p), ci[1]));
            intervals.add(bar);
        }
        series.addAll(intervals);
        XYChart.Series<Number, Number> tried = new XYChart.Series<>();
        tried.setName("configurations");
        nodes.clear();
        XYChart.Data<Number, Number> current = null;
        for (TradeOffPoint p : shown) {
            XYChart.Data<Number, Number> d = new XYChart.Data<>(mb(p), metric.of(p));
            // the chart replaces the symbol's style classes with its own, so the look goes on a mark inside it
            Region mark = new Region();
            mark.getStyleClass().add("tradeoff-point");
            if (onFront.contains(p)) mark.getStyleClass().add("pareto");
            if (p.dense()) mark.getStyleClass().add("dense");
            if (pinned.contains(p.key())) mark.getStyleClass().add("pinned");
            if (p.key().equals(currentKey)) mark.getStyleClass().add("current");
            StackPane dot = new StackPane(mark);
            dot.setCursor(Cursor.HAND);
            dot.setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY) onPick.accept(p);
            });
            MenuItem pin = new MenuItem("Pin for comparison");
            pin.setOnAction(e -> onPin.accept(p));
            ContextMenu menu = new ContextMenu(pin);
            dot.setOnContextMenuRequested(e -> {
                menu.show(dot, e.getScreenX(), e.getScreenY());
                e.consume();
            });
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
        series.add(tried);
        chart.getData().setAll(series);
        for (XYChart.Series<Number, Number> bar : intervals) {
            if (bar.getNode() != null) bar.getNode().getStyleClass().add("tradeoff-interval");
        }
        if (tried.getNode() != null) tried.getNode().getStyleClass().add("tradeoff-tried");
    }

    private double mb(TradeOffPoint p) {
        return axis.bytes(p) / 1e6;
    }

    static String describe(TradeOffPoint p) {
        long fp16 = p.size().baselineFp16Bytes();
        String s = (p.dense() ? "dense model" : RecipeLabels.describe(p.recipe())) + "\n"
                + Formats.bytes(p.size().residentBytes()) + " resident, "
                + SizeWords.vsFp16(p.size().residentBytes(), fp16);
        if (p.fileBytes() != null) s += "\n" + Formats.bytes(p.fileBytes()) + " file, " + SizeWords.vsFp16(p.fileBytes(), fp16);
        if (p.proxyMeasured()) {
            s += String.format(Locale.ROOT, "\ntop-1 agreement %s, mean KL %.4f", Formats.percent(p.top1Agreement()),
                    p.meanKl());
        }
        if (p.taskScore() != null) s += "\nlast-word accuracy " + p.taskScore().text();
        return s + "\nClick to restore this recipe; right-click to pin it";
    }

    /** The drawn node of the point with this recipe JSON, or null when it is not shown. */
    public Node pointNode(String key) {
        return nodes.get(key);
    }

    /** The points shown now (those measured on the chart's metric and axis). */
    public List<TradeOffPoint> shown() {
        return shown;
    }

    public QualityMetric metric() {
        return metric;
    }

    /** Every point as a table row: both sizes, both ratios worded, the proxy, the task score with its interval. */
    CsvTable csv(List<TradeOffPoint> points) {
        List<List<String>> rows = new ArrayList<>();
        List<TradeOffPoint> front = ParetoFront.of(points, metric, axis);
        for (TradeOffPoint p : points) {
            long fp16 = p.size().baselineFp16Bytes();
            TaskScore t = p.taskScore();
            rows.add(List.of(p.dense() ? "dense" : RecipeLabels.describe(p.recipe()),
                    Long.toString(p.size().residentBytes()), SizeWords.vsFp16(p.size().residentBytes(), fp16),
                    p.fileBytes() == null ? "" : Long.toString(p.fileBytes()),
                    p.fileBytes() == null ? "" : SizeWords.vsFp16(p.fileBytes(), fp16),
                    p.top1Agreement() == null ? "" : String.format(Locale.ROOT, "%.4f", 100 * p.top1Agreement()),
                    p.meanKl() == null ? "" : String.format(Locale.ROOT, "%.6g", p.meanKl()),
                    t == null ? "" : String.format(Locale.ROOT, "%.2f", 100 * t.accuracy()),
                    t == null ? "" : String.format(Locale.ROOT, "%.2f", 100 * t.low()),
                    t == null ? "" : String.format(Locale.ROOT, "%.2f", 100 * t.high()),
                    t == null ? "" : Integer.toString(t.items()),
                    Boolean.toString(front.contains(p)), p.recipe().toJson().replaceAll("\\s+", " ")));
        }
        return new CsvTable(List.of("recipe", "resident_bytes", "resident_vs_fp16", "file_bytes", "file_vs_fp16",
                "top1_agreement_pct", "mean_kl", "lastword_pct", "lastword_ci95_low_pct", "lastword_ci95_high_pct",
                "lastword_items", "pareto", "recipe_json"), rows);
    }

    LineChart<Number, Number> node() {
        return chart;
    }
}
