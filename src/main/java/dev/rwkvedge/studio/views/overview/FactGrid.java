package dev.rwkvedge.studio.views.overview;

import java.util.LinkedHashMap;
import java.util.Map;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;

/** The model's key numbers as captioned tiles; each value label has the id {@code <key>-value} for tests and CSS. */
final class FactGrid {
    private final FlowPane pane = new FlowPane(10, 10);
    private final Map<String, Label> values = new LinkedHashMap<>();
    private final Map<String, VBox> tiles = new LinkedHashMap<>();

    FactGrid() {
        pane.getStyleClass().add("fact-grid");
    }

    void add(String key, String caption) {
        Label c = new Label(caption);
        c.getStyleClass().add("fact-caption");
        Label v = new Label();
        v.setId(key + "-value");
        v.getStyleClass().add("fact-value");
        VBox tile = new VBox(2, c, v);
        tile.getStyleClass().add("fact-tile");
        values.put(key, v);
        tiles.put(key, tile);
        pane.getChildren().add(tile);
    }

    /** Sets the value; an empty value hides the tile (heads for v4, LoRA for v5). */
    void set(String key, String value) {
        values.get(key).setText(value);
        VBox tile = tiles.get(key);
        tile.setVisible(!value.isEmpty());
        tile.setManaged(!value.isEmpty());
    }

    FlowPane pane() {
        return pane;
    }
}
