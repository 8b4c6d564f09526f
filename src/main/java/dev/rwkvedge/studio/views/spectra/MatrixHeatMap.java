package dev.rwkvedge.studio.views.spectra;

import dev.rwkvedge.analysis.AnalyzedMatrix;
import dev.rwkvedge.analysis.ModelSpectra;
import dev.rwkvedge.studio.ui.CsvTable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import dev.rwkvedge.studio.views.compress.RankOverrideEvent;
import java.util.function.Consumer;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.geometry.HPos;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Background;
import javafx.scene.layout.BackgroundFill;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;

/**
 * The blocks' matrices as a grid, one row per matrix name and one column per layer, each cell coloured by the chosen
 * metric on a scale from the smallest to the largest value shown (so the pattern across layers stands out whatever
 * the metric's units). Clicking a cell selects its matrix. Emb and head are not blocks: the table lists them.
 */
final class MatrixHeatMap {
    static final String CELL = "heat-cell";
    private final GridPane grid = new GridPane();
    private final Label minLabel = new Label(), maxLabel = new Label(), metricLabel = new Label();
    private final VBox root;
    private final Consumer<AnalyzedMatrix> onSelect;
    private final Map<AnalyzedMatrix, Label> cells = new java.util.HashMap<>();
    private ModelSpectra spectra;
    private HeatMetric metric = HeatMetric.STABLE_RANK;
    private AnalyzedMatrix selected;

    MatrixHeatMap(Consumer<AnalyzedMatrix> onSelect) {
        this.onSelect = onSelect;
        grid.setId("heat-map");
        grid.setHgap(2);
        grid.setVgap(2);
        Region gradient = new Region();
        gradient.setBackground(new Background(new BackgroundFill(ColorScale.horizontal(), null, null)));
        gradient.setPrefSize(160, 12);
        gradient.setMaxHeight(12);
        minLabel.getStyleClass().add("muted");
        maxLabel.getStyleClass().add("muted");
        metricLabel.getStyleClass().add("muted");
        HBox legend = new HBox(6, metricLabel, minLabel, gradient, maxLabel);
        legend.setId("heat-legend");
        legend.setAlignment(Pos.CENTER_LEFT);
        root = new VBox(8, grid, legend);
    }

    void show(ModelSpectra s, HeatMetric m) {
        spectra = s;
        metric = m;
        rebuild();
    }

    void select(AnalyzedMatrix m) {
        if (selected != null && cells.containsKey(selected)) cells.get(selected).getStyleClass().remove("selected");
        selected = m;
        if (m != null && cells.containsKey(m)) cells.get(m).getStyleClass().add("selected");
    }

    private void rebuild() {
        grid.getChildren().clear();
        cells.clear();
        List<AnalyzedMatrix> blocks = spectra == null ? List.of()
                : spectra.matrices().stream().filter(a -> a.spectrum().layer() >= 0).toList();
        metricLabel.setText(metric.label);
        if (blocks.isEmpty()) {
            minLabel.setText("");
            maxLabel.setText("");
            return;
        }
        Set<String> names = new LinkedHashSet<>();
        Set<Integer> layers = new TreeSet<>();
        for (AnalyzedMatrix a : blocks) {
            names.add(a.spectrum().name());
            layers.add(a.spectrum().layer());
        }
        double min = blocks.stream().mapToDouble(metric::of).filter(v -> !Double.isNaN(v)).min().orElse(0);
        double max = blocks.stream().mapToDouble(metric::of).filter(v -> !Double.isNaN(v)).max().orElse(1);
        minLabel.setText(metric.format(min));
        maxLabel.setText(metric.format(max));
        List<String> rows = new ArrayList<>(names);
        List<Integer> cols = new ArrayList<>(layers);
        for (int c = 0; c < cols.size(); c++) {
            Label h = new Label("L" + cols.get(c));
            h.getStyleClass().add("heat-header");
            GridPane.setHalignment(h, HPos.CENTER);
            grid.add(h, c + 1, 0);
        }
        for (int r = 0; r < rows.size(); r++) {
            Label name = new Label(rows.get(r));
            name.getStyleClass().add("heat-header");
            grid.add(name, 0, r + 1);
        }
        for (AnalyzedMatrix a : blocks) {
            double v = metric.of(a);
            double t = max > min ? (v - min) / (max - min) : 0.5;
            grid.add(cell(a, v, ColorScale.at(t)), cols.indexOf(a.spectrum().layer()) + 1,
                    rows.indexOf(a.spectrum().name()) + 1);
        }
        select(selected);
    }

    private Label cell(AnalyzedMatrix a, double v, Color c) {
        Label cell = new Label(metric.format(v));
        cell.getStyleClass().add(CELL);
        cell.setId("heat-" + a.key().replaceAll("[^A-Za-z0-9]", "-"));
        cell.setBackground(new Background(new BackgroundFill(c, null, null)));
        cell.setTextFill(ColorScale.textOn(c));
        cell.setAlignment(Pos.CENTER);
        cell.setMaxWidth(Double.MAX_VALUE);
        GridPane.setHgrow(cell, Priority.ALWAYS);
        Tooltip.install(cell, new Tooltip(a.key() + "  " + a.spectrum().rows() + "×" + a.spectrum().cols() + "\n"
                + metric.label + ": " + metric.format(v)));
        cell.setOnMouseClicked(e -> onSelect.accept(a));
        if (a.spectrum().layer() >= 0) {
            // the rank that keeps 95 % of the energy, as the recipe's override for this one matrix
            int r = a.metrics().rank95();
            MenuItem use = new MenuItem("Use rank " + r + " (95 % energy) for this matrix in Compress");
            use.setOnAction(e -> cell.fireEvent(new RankOverrideEvent(
                    RankOverrideEvent.matrixName(a.spectrum().layer(), a.spectrum().name()), r)));
            cell.setContextMenu(new ContextMenu(use));
        }
        cells.put(a, cell);
        return cell;
    }

    /** The cells, in model order (for tests and the CSV). */
    List<Label> cells() {
        return grid.getChildren().stream().filter(n -> n.getStyleClass().contains(CELL)).map(n -> (Label) n).toList();
    }

    CsvTable data() {
        List<List<String>> rows = new ArrayList<>();
        if (spectra != null) {
            for (AnalyzedMatrix a : spectra.matrices()) {
                if (a.spectrum().layer() < 0) continue;
                rows.add(List.of(Integer.toString(a.spectrum().layer()), a.spectrum().name(), Double.toString(metric.of(a))));
            }
        }
        return new CsvTable(List.of("layer", "matrix", metric.name().toLowerCase()), rows);
    }

    VBox node() {
        return root;
    }
}
