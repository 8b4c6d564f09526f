package dev.rwkvedge.studio.views.overview;

import atlantafx.base.theme.Styles;
import dev.rwkvedge.studio.session.LayerRow;
import dev.rwkvedge.studio.ui.Formats;
import java.util.List;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

/** Parameters per block: where a per-layer compression budget will be set later. */
final class LayerTable {
    private final TableView<LayerRow> table = new TableView<>();

    LayerTable() {
        table.setId("layer-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No blocks"));
        table.getStyleClass().addAll(Styles.DENSE, Styles.STRIPED);
        table.getColumns().add(column("Layer", r -> Integer.toString(r.layer())));
        table.getColumns().getFirst().setMaxWidth(70);
        table.getColumns().add(column("Time-mix", r -> Formats.grouped(r.timeMix())));
        table.getColumns().add(column("Channel-mix", r -> Formats.grouped(r.channelMix())));
        table.getColumns().add(column("Norms", r -> Formats.grouped(r.norms())));
        table.getColumns().add(column("Total", r -> Formats.grouped(r.parameters())));
        table.getColumns().add(column("Bytes", r -> Formats.bytes(r.bytes())));
    }

    private static TableColumn<LayerRow, String> column(String title, Function<LayerRow, String> value) {
        TableColumn<LayerRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(value.apply(cd.getValue())));
        c.setSortable(false);
        // room for the header: the constrained policy otherwise squeezes "Channel-mix" to "Channel-..."
        c.setMinWidth(28 + 8.5 * title.length());
        c.getStyleClass().add("numeric");
        return c;
    }

    void show(List<LayerRow> rows) {
        table.getItems().setAll(rows);
    }

    TableView<LayerRow> node() {
        return table;
    }
}
