package dev.rwkvedge.studio.views.generation;

import dev.rwkvedge.runtime.sampling.SamplerSettings;
import java.math.BigDecimal;
import java.math.MathContext;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.util.StringConverter;

/** The sampling knobs, with ChatRWKV's chat defaults; each spinner has an id (temperature, top-p, ...) for tests. */
final class SamplingForm {
    private final GridPane grid = new GridPane(10, 6);
    private final Spinner<Double> temperature = decimal("temperature", 0, 5, 1.0, 0.1);
    private final Spinner<Double> topP = decimal("top-p", 0, 1, 0.3, 0.05);
    private final Spinner<Integer> topK = integer("top-k", 0, 1_000_000, 0, 1);
    private final Spinner<Double> presence = decimal("presence", -5, 5, 0.5, 0.1);
    private final Spinner<Double> frequency = decimal("frequency", -5, 5, 0.5, 0.1);
    private final Spinner<Double> decay = decimal("decay", 0, 1, 0.996, 0.001);
    private final Spinner<Integer> maxTokens = integer("max-tokens", 1, 100_000, 200, 10);
    private final Spinner<Integer> seed = integer("seed", 0, Integer.MAX_VALUE, 42, 1);

    SamplingForm() {
        grid.getStyleClass().add("sampling-form");
        ColumnConstraints labels = new ColumnConstraints();
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().addAll(labels, fields);
        row("Temperature", temperature, "0 always picks the most likely token");
        row("Top-p", topP, "keep the likeliest tokens whose probabilities add up to this; 1 keeps all");
        row("Top-k", topK, "keep at most this many tokens; 0 = off");
        row("Presence penalty", presence, "subtracted from every token generated before");
        row("Frequency penalty", frequency, "subtracted once per earlier occurrence");
        row("Penalty decay", decay, "occurrence counts shrink by this per token; 1 = never");
        row("Max tokens", maxTokens, null);
        row("Seed", seed, "the same seed and settings give the same text");
    }

    private void row(String label, Spinner<?> field, String help) {
        Label l = new Label(label);
        l.setLabelFor(field);
        if (help != null) {
            l.setTooltip(new Tooltip(help));
            field.setTooltip(new Tooltip(help));
        }
        field.setMaxWidth(Double.MAX_VALUE);
        grid.addRow(grid.getRowCount(), l, field);
    }

    private static Spinner<Double> decimal(String id, double min, double max, double value, double step) {
        var factory = new SpinnerValueFactory.DoubleSpinnerValueFactory(min, max, value, step);
        // the default converter rounds to two decimals, which shows (and commits) a decay of 0.996 as 1
        factory.setConverter(new StringConverter<>() {
            @Override
            public String toString(Double v) {
                return v == null ? "" : BigDecimal.valueOf(v).round(MathContext.DECIMAL32).stripTrailingZeros()
                        .toPlainString();
            }

            @Override
            public Double fromString(String s) {
                return Double.parseDouble(s.trim());
            }
        });
        return configure(new Spinner<>(factory), id);
    }

    private static Spinner<Integer> integer(String id, int min, int max, int value, int step) {
        Spinner<Integer> s = new Spinner<>(new SpinnerValueFactory.IntegerSpinnerValueFactory(min, max, value, step));
        return configure(s, id);
    }

    private static <T> Spinner<T> configure(Spinner<T> s, String id) {
        s.setId(id);
        s.setEditable(true);
        s.setPrefWidth(110);
        // a typed value counts once the field loses focus, not only on Enter: people click Generate right away
        s.focusedProperty().addListener((o, was, focused) -> {
            if (!focused) commit(s);
        });
        return s;
    }

    private static <T> void commit(Spinner<T> s) {
        try {
            T v = s.getValueFactory().getConverter().fromString(s.getEditor().getText());
            if (v != null) s.getValueFactory().setValue(v);
        } catch (RuntimeException e) {
            s.getEditor().setText(s.getValueFactory().getConverter().toString(s.getValue()));
        }
    }

    /** The settings as typed, including text not yet committed with Enter. */
    SamplerSettings settings() {
        for (Spinner<?> s : new Spinner<?>[] {temperature, topP, topK, presence, frequency, decay, maxTokens, seed}) {
            commit(s);
        }
        return new SamplerSettings(temperature.getValue(), topP.getValue(), topK.getValue(), presence.getValue(),
                frequency.getValue(), decay.getValue(), seed.getValue());
    }

    int maxTokens() {
        commit(maxTokens);
        return maxTokens.getValue();
    }

    GridPane node() {
        return grid;
    }
}
