package dev.rwkvedge.studio.views.compress;

import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.sparse.PredictorKind;
import dev.rwkvedge.compress.LowRankMethod;
import dev.rwkvedge.compress.RankRule;
import dev.rwkvedge.compress.head.ClusteredHeadSettings;
import dev.rwkvedge.compress.head.Selection;
import dev.rwkvedge.compress.embedding.EmbeddingCacheSettings;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The compression knobs, editing one {@link Recipe} (the document). Settings the knobs do not show (matrices, rank
 * overrides, per-layer thresholds, head training settings, calibration) are kept from the recipe last loaded. Slider
 * values are rounded to three decimals so a recipe restored from a point reads back exactly.
 */
final class RecipeForm {
    private final ReadOnlyObjectWrapper<Recipe> recipe = new ReadOnlyObjectWrapper<>(this, "recipe");
    private final VBox root = new VBox(10);

    private final CheckBox lowRank = check("low-rank", "Low-rank projections",
            "Each chosen projection becomes two thin matrices (truncated SVD)");
    private final ComboBox<String> method = combo("low-rank-method", List.of("svd", "whitened"));
    private final ComboBox<String> rule = combo("rank-rule", List.of("ratio", "energy", "budget", "fixed"));
    private final Slider ratio = slider("ratio", 0.01, 1, 0.125);
    private final Slider energy = slider("energy", 0.5, 1, 0.9);
    private final Slider budget = slider("budget", 0.05, 1, 0.5);
    private final Spinner<Integer> fixedRank = spinner("fixed-rank", 1, 100_000, 16);

    private final CheckBox sparse = check("sparse-ffn", "Sparse FFN",
            "Per token, run only the channel-mix neurons a trained predictor calls active");
    private final ComboBox<String> predictor = combo("predictor", List.of("mlp", "1bit", "both"));
    private final Slider threshold = slider("threshold", 0, 1, 0.7);
    private final Slider oneBitSparsity = slider("one-bit-sparsity", 0, 0.99, 0.9);

    private final CheckBox head = check("clustered-head", "Clustered head",
            "Score only the vocabulary clusters a router predicts, not the whole head");
    private final Spinner<Integer> clusters = spinner("clusters", 2, 100_000, 200);
    private final Slider coverage = slider("coverage", 0.5, 1, 0.95);

    private final CheckBox embedding = check("embedding-cache", "Embedding cache",
            "Keep only recently used embedding rows in memory");
    private final Spinner<Integer> cacheRows = spinner("cache-rows", 1, 10_000_000, 1000);

    private final CheckBox int8 = check("int8", "int8 weights",
            "Remaining dense block matrices and the head in int8, one scale per row");

    private Recipe base = Recipe.paperLowRank();
    // set while load() moves the knobs, so the half-loaded states never become recipes
    private boolean loading;

    RecipeForm() {
        GridPane lr = grid();
        row(lr, "Method", method, "svd: plain truncated SVD (the paper); whitened: activation-aware (SVD-LLM), "
                + "needs calibration text");
        row(lr, "Rank rule", rule, "ratio: rank = ratio x min(out, in); energy: keep this share of the squared "
                + "singular values; budget: keep this share of the parameters; fixed: one rank for all");
        row(lr, "Ratio", valued(ratio), "rank as a share of the smaller dimension (the paper: 0.125)");
        row(lr, "Energy", valued(energy), "share of the squared singular values each matrix keeps");
        row(lr, "Budget", valued(budget), "share of the selected matrices' parameters to keep");
        row(lr, "Rank", fixedRank, "one rank for every matrix");
        showOnly(lr, rule.getValue());
        rule.valueProperty().subscribe(r -> showOnly(lr, r));

        GridPane sp = grid();
        row(sp, "Predictor", predictor, "mlp: a small trained net per layer; 1bit: sign-quantised scores; both: "
                + "either one calls a neuron active");
        row(sp, "Threshold", valued(threshold), "MLP: a neuron counts as active above this probability");
        row(sp, "1-bit sparsity", valued(oneBitSparsity), "1-bit: the share of neurons called inactive");

        GridPane hd = grid();
        row(hd, "Clusters", clusters, "k-means clusters of the vocabulary rows");
        row(hd, "Coverage", valued(coverage), "clusters are read until their predicted probability reaches this");

        GridPane em = grid();
        row(em, "Cache rows", cacheRows, "embedding rows kept in memory; the rest are read from the file on demand");

        root.getChildren().addAll(section(lowRank, lr), section(sparse, sp), section(head, hd), section(embedding, em),
                section(int8, null));
        root.getStyleClass().add("recipe-form");

        load(base);
        for (ObservableValue<?> v : List.<ObservableValue<?>>of(lowRank.selectedProperty(), method.valueProperty(),
                rule.valueProperty(), ratio.valueProperty(), energy.valueProperty(), budget.valueProperty(),
                fixedRank.valueProperty(), sparse.selectedProperty(), predictor.valueProperty(),
                threshold.valueProperty(), oneBitSparsity.valueProperty(), head.selectedProperty(),
                clusters.valueProperty(), coverage.valueProperty(), embedding.selectedProperty(),
                cacheRows.valueProperty(), int8.selectedProperty())) {
            v.addListener((o, was, now) -> {
                if (!loading) recipe.set(build());
            });
        }
    }

    /** Moves every knob to the recipe's settings; the recipe becomes the document. */
    void load(Recipe r) {
        loading = true;
        try {
            base = r;
            Recipe.LowRank l = r.lowRank();
            lowRank.setSelected(l != null);
            if (l != null) {
                method.setValue(l.method() == null ? "svd" : l.method().toString());
                RankRule k = l.rule();
                if (k.ratio() != null) ratio.setValue(k.ratio());
                if (k.energy() != null) energy.setValue(k.energy());
                if (k.budget() != null) budget.setValue(k.budget());
                if (k.fixed() != null) fixedRank.getValueFactory().setValue(k.fixed());
                rule.setValue(k.ratio() != null ? "ratio" : k.energy() != null ? "energy"
                        : k.budget() != null ? "budget" : "fixed");
            }
            Recipe.SparseFfn s = r.sparseFfn();
            sparse.setSelected(s != null);
            if (s != null) {
                predictor.setValue(s.predictor() == null ? "mlp" : s.predictor().toString());
                if (s.threshold() != null) threshold.setValue(s.threshold());
                if (s.oneBitSparsity() != null) oneBitSparsity.setValue(s.oneBitSparsity());
            }
            head.setSelected(r.head() != null);
            if (r.head() != null) {
                clusters.getValueFactory().setValue(r.head().clusters());
                coverage.setValue(r.head().coverage());
            }
            embedding.setSelected(r.embedding() != null);
            if (r.embedding() != null) cacheRows.getValueFactory().setValue(r.embedding().cacheRows());
            int8.setSelected(r.int8() != null && r.int8().on());
        } finally {
            loading = false;
        }
        recipe.set(build());
    }

    /** The recipe the knobs describe, over the settings of the one last loaded. */
    Recipe build() {
        Recipe.LowRank lr = null;
        if (lowRank.isSelected()) {
            Recipe.LowRank b = base.lowRank();
            RankRule r = switch (rule.getValue()) {
                case "energy" -> RankRule.energy(rounded(energy));
                case "budget" -> RankRule.budget(rounded(budget));
                case "fixed" -> RankRule.fixed(fixedRank.getValue());
                default -> RankRule.ratio(rounded(ratio));
            };
            lr = new Recipe.LowRank(LowRankMethod.parse(method.getValue()), b == null ? null : b.matrices(), r,
                    b == null ? null : b.overrides(), b == null ? null : b.ridge());
        }
        Recipe.SparseFfn sf = null;
        if (sparse.isSelected()) {
            Recipe.SparseFfn b = base.sparseFfn();
            sf = new Recipe.SparseFfn(PredictorKind.parse(predictor.getValue()), rounded(threshold), b == null ? null : b.layerThresholds(),
                    b == null ? null : b.mlpWidth(), rounded(oneBitSparsity), b == null ? null : b.samples());
        }
        ClusteredHeadSettings hs = null;
        if (head.isSelected()) {
            ClusteredHeadSettings b = base.head() != null ? base.head() : ClusteredHeadSettings.paper();
            hs = b.withClusters(clusters.getValue())
                    .withSelection(new Selection(rounded(coverage), b.minClusters(), b.maxClusters()));
        }
        EmbeddingCacheSettings es = embedding.isSelected() ? new EmbeddingCacheSettings(cacheRows.getValue()) : null;
        Recipe.Int8 i8 = int8.isSelected() ? new Recipe.Int8(true, base.int8() == null ? null : base.int8().scheme()) : null;
        return new Recipe(base.generation(), lr, sf, hs, es, i8, base.precision(), base.calibration());
    }

    ReadOnlyObjectProperty<Recipe> recipeProperty() {
        return recipe.getReadOnlyProperty();
    }

    Recipe recipe() {
        return recipe.get();
    }

    Node node() {
        return root;
    }

    private static double rounded(Slider s) {
        return Math.round(s.getValue() * 1000) / 1000.0;
    }

    private static void showOnly(GridPane g, String ruleName) {
        List<String> rows = List.of("ratio", "energy", "budget", "fixed");
        for (Node n : g.getChildren()) {
            Integer r = GridPane.getRowIndex(n);
            if (r == null || r < 2) continue;
            boolean on = rows.get(r - 2).equals(ruleName);
            n.setVisible(on);
            n.setManaged(on);
        }
    }

    private static VBox section(CheckBox toggle, GridPane body) {
        toggle.getStyleClass().add("section-title");
        VBox box = body == null ? new VBox(6, toggle) : new VBox(6, toggle, body);
        if (body != null) {
            body.disableProperty().bind(toggle.selectedProperty().not());
            body.setPadding(new Insets(0, 0, 0, 22));
        }
        box.getStyleClass().add("knob-section");
        return box;
    }

    private static GridPane grid() {
        GridPane g = new GridPane(8, 4);
        ColumnConstraints labels = new ColumnConstraints(96);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        g.getColumnConstraints().addAll(labels, fields);
        return g;
    }

    private static void row(GridPane g, String label, Node field, String help) {
        Label l = new Label(label);
        Tooltip tip = new Tooltip(help);
        tip.setWrapText(true);
        tip.setMaxWidth(360);
        l.setTooltip(tip);
        if (field instanceof javafx.scene.control.Control c) {
            c.setTooltip(tip);
            c.setMaxWidth(Double.MAX_VALUE);
        }
        g.addRow(g.getRowCount(), l, field);
    }

    /** A slider with its value printed beside it. */
    private static Node valued(Slider s) {
        Label value = new Label();
        value.setId(s.getId() + "-value");
        value.getStyleClass().add("knob-value");
        value.setMinWidth(44);
        value.textProperty().bind(s.valueProperty().map(v -> String.format(Locale.ROOT, "%.3f", v.doubleValue())));
        javafx.scene.layout.HBox box = new javafx.scene.layout.HBox(6, s, value);
        javafx.scene.layout.HBox.setHgrow(s, Priority.ALWAYS);
        box.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        return box;
    }

    private static CheckBox check(String id, String text, String help) {
        CheckBox c = new CheckBox(text);
        c.setId(id);
        c.setTooltip(new Tooltip(help));
        return c;
    }

    private static ComboBox<String> combo(String id, List<String> items) {
        ComboBox<String> c = new ComboBox<>();
        c.getItems().setAll(items);
        c.setValue(items.getFirst());
        c.setId(id);
        return c;
    }

    private static Slider slider(String id, double min, double max, double value) {
        Slider s = new Slider(min, max, value);
        s.setId(id);
        s.setBlockIncrement((max - min) / 100);
        return s;
    }

    private static Spinner<Integer> spinner(String id, int min, int max, int value) {
        Spinner<Integer> s = new Spinner<>(min, max, value);
        s.setId(id);
        s.setEditable(true);
        s.setPrefWidth(110);
        return s;
    }
}
