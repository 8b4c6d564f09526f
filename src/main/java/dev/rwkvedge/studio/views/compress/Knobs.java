package dev.rwkvedge.studio.views.compress;

import dev.rwkvedge.compress.quant.Precision;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The controls the recipe form is made of, and how their values read back: sliders hold four decimals (so 0.3334, the
 * edge recipe's ratio, survives a round trip), text fields of name=value pairs and positive numbers mark themselves
 * when they do not parse.
 */
final class Knobs {
    /** Decimals a slider's value keeps in the recipe. */
    static final int DECIMALS = 4;
    private static final double SCALE = Math.pow(10, DECIMALS);

    private Knobs() {}

    static double rounded(Slider s) {
        return rounded(s.getValue());
    }

    static double rounded(double v) {
        return Math.round(v * SCALE) / SCALE;
    }

    static <T> Map<String, T> parsePairs(TextField f, String what, Function<String, T> value) {
        f.getStyleClass().remove("field-error");
        String t = f.getText().strip();
        if (t.isEmpty()) return null;
        Map<String, T> out = new TreeMap<>();
        for (String pair : t.split("[,;\\s]+")) {
            int eq = pair.indexOf('=');
            try {
                if (eq <= 0) throw new IllegalArgumentException();
                out.put(pair.substring(0, eq).strip(), value.apply(pair.substring(eq + 1).strip()));
            } catch (IllegalArgumentException e) {
                f.getStyleClass().add("field-error");
                throw new IllegalArgumentException(what + " \"" + pair + "\" is not name=value");
            }
        }
        return out;
    }

    static double parseNumber(TextField f, String what) {
        f.getStyleClass().remove("field-error");
        try {
            double v = Double.parseDouble(f.getText().strip());
            if (!(v > 0) || Double.isInfinite(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            f.getStyleClass().add("field-error");
            throw new IllegalArgumentException(what + " \"" + f.getText() + "\" is not a positive number");
        }
    }

    static String pairs(Map<String, ?> m) {
        if (m == null) return "";
        StringBuilder sb = new StringBuilder();
        // a precision in the recipe's spelling (fp16), which is what parses back
        new TreeMap<>(m).forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append('=')
                .append(v instanceof Precision p ? p.label() : v));
        return sb.toString();
    }

    static String number(double v) {
        return v >= 1e-3 ? String.format(Locale.ROOT, "%s", v) : String.format(Locale.ROOT, "%.0e", v);
    }

    static VBox section(CheckBox toggle, Node body) {
        toggle.getStyleClass().add("section-title");
        VBox box = new VBox(6, toggle, body);
        body.disableProperty().bind(toggle.selectedProperty().not());
        if (body instanceof javafx.scene.layout.Region reg) reg.setPadding(new Insets(0, 0, 0, 22));
        box.getStyleClass().add("knob-section");
        return box;
    }

    static GridPane grid() {
        GridPane g = new GridPane(8, 4);
        // at least 96 wide, wider where a label needs it (presenter mode's larger font), never cut short
        ColumnConstraints labels = new ColumnConstraints();
        labels.setPrefWidth(96);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        g.getColumnConstraints().addAll(labels, fields);
        return g;
    }

    static void row(GridPane g, String label, Node field, String help) {
        Label l = new Label(label);
        // the column is as wide as its longest label needs (the field beside it gives way)
        l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        Tooltip tip = new Tooltip(help);
        tip.setWrapText(true);
        tip.setMaxWidth(360);
        l.setTooltip(tip);
        if (field instanceof Control c) {
            c.setTooltip(tip);
            c.setMaxWidth(Double.MAX_VALUE);
        }
        g.addRow(g.getRowCount(), l, field);
    }

    static HBox box(Node main, Label value) {
        HBox b = new HBox(6, main, value);
        HBox.setHgrow(main, Priority.ALWAYS);
        b.setAlignment(Pos.CENTER_LEFT);
        return b;
    }

    /** A slider with its value printed beside it, to the decimals the recipe keeps. */
    static Node valued(Slider s) {
        Label value = new Label();
        value.setId(s.getId() + "-value");
        value.getStyleClass().add("knob-value");
        value.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        value.textProperty().bind(s.valueProperty().map(v -> String.format(Locale.ROOT, "%." + DECIMALS + "f",
                rounded(v.doubleValue()))));
        return box(s, value);
    }

    static CheckBox check(String id, String text, String help) {
        CheckBox c = new CheckBox(text);
        c.setId(id);
        c.setTooltip(new Tooltip(help));
        return c;
    }

    static <T> ComboBox<T> combo(String id, List<T> items) {
        ComboBox<T> c = new ComboBox<>();
        c.getItems().setAll(items);
        c.setValue(items.getFirst());
        c.setId(id);
        return c;
    }

    static TextField text(String id, String prompt) {
        TextField t = new TextField();
        t.setId(id);
        t.setPromptText(prompt);
        return t;
    }

    static Slider slider(String id, double min, double max, double value) {
        Slider s = new Slider(min, max, value);
        s.setId(id);
        s.setBlockIncrement((max - min) / 100);
        return s;
    }

    static Spinner<Integer> spinner(String id, int min, int max, int value) {
        Spinner<Integer> s = new Spinner<>(min, max, value);
        s.setId(id);
        s.setEditable(true);
        s.setPrefWidth(110);
        return s;
    }
}
