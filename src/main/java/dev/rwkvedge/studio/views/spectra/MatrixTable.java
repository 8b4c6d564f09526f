package dev.rwkvedge.studio.views.spectra;

import atlantafx.base.theme.Styles;
import dev.rwkvedge.analysis.AnalyzedMatrix;
import dev.rwkvedge.analysis.ModelSpectra;
import dev.rwkvedge.studio.ui.CsvTable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

/** Every analysed matrix with its shape and the metrics that guide a rank choice; selecting a row selects it. */
final class MatrixTable {
    private final TableView<AnalyzedMatrix> table = new TableView<>();

    MatrixTable() {
        table.setId("matrix-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No spectra yet"));
        table.getStyleClass().addAll(Styles.DENSE, Styles.STRIPED);
        table.getColumns().add(column("Matrix", AnalyzedMatrix::key, 120));
        table.getColumns().add(column("Shape", a -> a.spectrum().rows() + "×" + a.spectrum().cols(), 80));
        table.getColumns().add(column("Stable", a -> HeatMetric.STABLE_RANK.format(a.metrics().stableRank()), 70));
        table.getColumns().add(column("α", a -> HeatMetric.ALPHA.format(a.metrics().alpha()), 50));
        table.getColumns().add(column("r90", a -> Integer.toString(a.metrics().rank90()), 48));
        table.getColumns().add(column("r95", a -> Integer.toString(a.metrics().rank95()), 48));
        table.getColumns().add(column("r99", a -> Integer.toString(a.metrics().rank99()), 48));
    }

    private static TableColumn<AnalyzedMatrix, String> column(String title, Function<AnalyzedMatrix, String> value,
                                                              double minWidth) {
        TableColumn<AnalyzedMatrix, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(value.apply(cd.getValue())));
        c.setSortable(false);
        c.setMinWidth(minWidth);
        if (!title.equals("Matrix")) c.getStyleClass().add("numeric");
        return c;
    }

    void show(ModelSpectra s) {
        table.getItems().setAll(s == null ? List.of() : s.matrices());
    }

    void select(AnalyzedMatrix m) {
        if (m == null) table.getSelectionModel().clearSelection();
        else if (table.getSelectionModel().getSelectedItem() != m) {
            table.getSelectionModel().select(m);
            table.scrollTo(m);
        }
    }

    TableView<AnalyzedMatrix> node() {
        return table;
    }

    CsvTable data() {
        List<List<String>> rows = new ArrayList<>();
        for (AnalyzedMatrix a : table.getItems()) {
            var m = a.metrics();
            rows.add(List.of(Integer.toString(a.spectrum().layer()), a.spectrum().name(),
                    Integer.toString(a.spectrum().rows()), Integer.toString(a.spectrum().cols()),
                    a.spectrum().kind().name(), Double.toString(m.frobeniusSquared()), Double.toString(m.spectralNorm()),
                    Double.toString(m.stableRank()), Double.toString(m.effectiveRank()), Double.toString(m.alpha()),
                    Integer.toString(m.rank90()), Integer.toString(m.rank95()), Integer.toString(m.rank99())));
        }
        return new CsvTable(List.of("layer", "matrix", "rows", "cols", "kind", "frobenius_squared", "spectral_norm",
                "stable_rank", "effective_rank", "alpha", "rank90", "rank95", "rank99"), rows);
    }

}
