package dev.rwkvedge.studio.views.compress;

import dev.rwkvedge.compress.Calibration;
import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.sparse.PredictorKind;
import dev.rwkvedge.compress.LowRankMethod;
import dev.rwkvedge.compress.RankRule;
import dev.rwkvedge.compress.embedding.EmbeddingCacheSettings;
import dev.rwkvedge.compress.head.ClusterSpace;
import dev.rwkvedge.compress.head.ClusteredHeadSettings;
import dev.rwkvedge.compress.quant.Precision;
import dev.rwkvedge.compress.resident.RowPrecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import org.controlsfx.control.CheckComboBox;
import org.controlsfx.control.RangeSlider;

import static dev.rwkvedge.studio.views.compress.Knobs.*;

/**
 * The compression knobs: one control for every field of the {@link Recipe} schema, so the recipe is exactly what the
 * knobs show (nothing hidden is kept from a recipe loaded earlier). A section switched off keeps its controls at the
 * values loaded or at the defaults, never stale ones. Slider values are rounded to {@link Knobs#DECIMALS} decimals so a
 * recipe restored from a point reads back exactly. A field that does not parse marks itself and leaves the recipe as
 * it was.
 */
final class RecipeForm {
    private final ReadOnlyObjectWrapper<Recipe> recipe = new ReadOnlyObjectWrapper<>(this, "recipe");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem");
    private final VBox root = new VBox(10);

    private final CheckBox lowRank = check("low-rank", "Low-rank projections",
            "Each chosen projection becomes two thin matrices (truncated SVD)");
    private final ComboBox<String> method = combo("low-rank-method", List.of("svd", "whitened"));
    private final ComboBox<String> rule = combo("rank-rule", List.of("ratio", "energy", "budget", "fixed"));
    private final Slider ratio = slider("ratio", 0.01, 1, 0.125);
    private final Slider energy = slider("energy", 0.5, 1, 0.9);
    private final Slider budget = slider("budget", 0.05, 1, 0.5);
    private final Spinner<Integer> fixedRank = spinner("fixed-rank", 1, 100_000, 16);
    private final CheckComboBox<String> matrices = new CheckComboBox<>();
    private final TextField overrides = text("rank-overrides", "blocks.3.att.key=48, ...");
    private final TextField ridge = text("ridge", "1e-4");

    private final CheckBox sparse = check("sparse-ffn", "Sparse FFN",
            "Per token, run only the channel-mix neurons a trained predictor calls active");
    private final ComboBox<String> predictor = combo("predictor", List.of("mlp", "1bit", "both"));
    private final Slider threshold = slider("threshold", 0, 1, 0.7);
    private final Slider oneBitSparsity = slider("one-bit-sparsity", 0, 0.99, 0.9);
    private final TextField layerThresholds = text("layer-thresholds", "0=0.6, 3=0.8");
    private final Spinner<Integer> mlpWidth = spinner("mlp-width", 1, 4096, 64);
    private final Spinner<Integer> samples = spinner("samples", 2, 1_000_000, 2000);
    private final Spinner<Integer> cacheNeurons = spinner("cache-neurons", 0, 1 << 24, 0);

    private final CheckBox head = check("clustered-head", "Clustered head",
            "Score only the vocabulary clusters a router predicts, not the whole head");
    private final Spinner<Integer> clusters = spinner("clusters", 2, 100_000, 200);
    private final Slider coverage = slider("coverage", 0.5, 1, 0.95);
    private final RangeSlider clusterRange = new RangeSlider(1, 200, 3, 100);
    private final Label clusterRangeText = new Label();
    private final ComboBox<ClusterSpace> space = new ComboBox<>();
    private final Spinner<Integer> pcaDims = spinner("pca-dims", -1, 100_000, 200);
    private final Spinner<Integer> seed = spinner("head-seed", 0, Integer.MAX_VALUE, 0);
    private final Spinner<Integer> kmeansIterations = spinner("kmeans-iterations", 1, 10_000, 50);
    private final Spinner<Integer> epochs = spinner("router-epochs", 1, 10_000, 5);
    private final Spinner<Integer> batchSize = spinner("router-batch", 1, 1_000_000, 64);
    private final TextField learningRate = text("router-learning-rate", "0.01");
    private final Slider heldOutShare = slider("held-out-share", 0.01, 0.5, 0.1);
    private final Spinner<Integer> tailRank = spinner("tail-rank", 0, 100_000, 0);
    private final Spinner<Integer> headCacheRows = spinner("head-cache-rows", 1, 1 << 24,
            ClusteredHeadSettings.DEFAULT_CACHE_ROWS);
    private final ComboBox<RowPrecision> headRows = combo("head-row-precision", List.of(RowPrecision.values()));

    private final CheckBox embedding = check("embedding-cache", "Embedding cache",
            "Keep only recently used embedding rows in memory");
    private final Spinner<Integer> cacheRows = spinner("cache-rows", 1, 10_000_000, 1000);
    private final ComboBox<RowPrecision> embeddingRows = combo("embedding-row-precision", List.of(RowPrecision.values()));

    private final CheckBox int8 = check("int8", "int8 weights",
            "Remaining dense block matrices and the head in int8, one scale per row");
    private final ComboBox<String> int8Scheme = combo("int8-scheme", List.of("row"));

    private final CheckBox precision = check("precision", "Stored precision",
            "How the block matrices left after the other techniques are stored (low-rank factors included)");
    private final ComboBox<Precision> fallback = combo("precision-default", List.of(Precision.values()));
    private final TextField precisionOverrides = text("precision-overrides", "ffn.value=int8, blocks.0.att.key=fp16");
    private final CheckBox errorFeedback = check("error-feedback", "GPTQ error feedback",
            "Where calibration text gives the inputs' Gram matrix, keep GPTQ's error feedback per matrix when it "
                    + "lowers the output error");

    private final TextField calibrationFile = text("calibration-file", "the sample's calibration.txt");
    private final Spinner<Integer> calibrationTokens = spinner("calibration-tokens", 2, 10_000_000,
            Calibration.DEFAULT_TOKENS);

    private List<String> defaultMatrices = List.of();
    private String generation;
    // set while load() moves the knobs, so the half-loaded states never become recipes
    private boolean loading;

    RecipeForm() {
        matrices.setId("low-rank-matrices");
        matrices.setMaxWidth(Double.MAX_VALUE);
        GridPane lr = grid();
        row(lr, "Method", method, "svd: plain truncated SVD (the paper); whitened: activation-aware (SVD-LLM), "
                + "needs calibration text");
        row(lr, "Rank rule", rule, "ratio: rank = ratio x min(out, in); energy: keep this share of the squared "
                + "singular values; budget: keep this share of the parameters; fixed: one rank for all");
        row(lr, "Ratio", valued(ratio), "rank as a share of the smaller dimension (the paper: 0.125)");
        row(lr, "Energy", valued(energy), "share of the squared singular values each matrix keeps");
        row(lr, "Budget", valued(budget), "share of the selected matrices' parameters to keep");
        row(lr, "Rank", fixedRank, "one rank for every matrix");
        row(lr, "Matrices", matrices, "which projections of every block are factored (none ticked: the paper's)");
        row(lr, "Overrides", overrides, "fixed ranks for single matrices: blocks.3.att.key=48, ... (Spectra: "
                + "right-click a heat-map cell)");
        row(lr, "Ridge", ridge, "whitened only: added to the Gram diagonal, relative to its mean");
        showOnly(lr, rule.getValue());
        rule.valueProperty().subscribe(r -> showOnly(lr, r));

        GridPane sp = grid();
        row(sp, "Predictor", predictor, "mlp: a small trained net per layer; 1bit: sign-quantised scores; both: "
                + "either one calls a neuron active");
        row(sp, "Threshold", valued(threshold), "MLP: a neuron counts as active above this probability");
        row(sp, "1-bit sparsity", valued(oneBitSparsity), "1-bit: the share of neurons called inactive");
        row(sp, "Per layer", layerThresholds, "MLP thresholds of single layers: 0=0.6, 3=0.8");
        row(sp, "MLP width", mlpWidth, "hidden width of the MLP predictor");
        row(sp, "Samples", samples, "calibration tokens kept per layer to train on");
        row(sp, "Neuron cache", cacheNeurons, "neuron bundles each layer keeps resident, the rest read when "
                + "predicted active; 0: all");

        clusterRange.setId("cluster-range");
        clusterRange.setMajorTickUnit(1);
        clusterRange.setMinorTickCount(0);
        clusterRange.setSnapToTicks(true);
        clusterRangeText.setId("cluster-range-value");
        clusterRangeText.getStyleClass().add("knob-value");
        clusterRangeText.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        Runnable rangeText = () -> clusterRangeText.setText((int) Math.round(clusterRange.getLowValue()) + " to "
                + (int) Math.round(clusterRange.getHighValue()));
        clusterRange.lowValueProperty().subscribe(v -> rangeText.run());
        clusterRange.highValueProperty().subscribe(v -> rangeText.run());
        // the range only ever widens: narrowing it would move the recipe's maxClusters behind the user's back
        clusters.valueProperty().subscribe(k -> clusterRange.setMax(Math.max(clusterRange.getMax(), k)));
        space.setId("cluster-space");
        space.getItems().setAll(ClusterSpace.values());
        space.setValue(ClusterSpace.EMBEDDING);
        GridPane hd = grid();
        row(hd, "Clusters", clusters, "k-means clusters of the vocabulary rows");
        row(hd, "Coverage", valued(coverage), "clusters are read until their predicted probability reaches this");
        row(hd, "Read", box(clusterRange, clusterRangeText), "the fewest and the most clusters read per token");
        row(hd, "Space", space, "cluster the embedding rows or the head rows");
        row(hd, "PCA dims", pcaDims, "dimensions k-means sees after PCA; -1 for none");
        row(hd, "Tail rank", tailRank, "rank of the resident logit estimate for the tokens of unread clusters; 0: "
                + "the paper's even pseudo-logits");
        row(hd, "Cached rows", headCacheRows, "head rows kept resident; the rest are read from the file on demand");
        row(hd, "Row storage", headRows, "how head rows read on demand are stored: int8 with a scale per row, or f32");
        GridPane training = grid();
        row(training, "Seed", seed, "k-means and router seed");
        row(training, "k-means its", kmeansIterations, "k-means iterations");
        row(training, "Epochs", epochs, "router training epochs");
        row(training, "Batch", batchSize, "router training batch size");
        row(training, "Learning rate", learningRate, "router learning rate");
        row(training, "Held out", valued(heldOutShare), "tail share of the calibration tokens held out to measure");
        TitledPane trainingPane = new TitledPane("Router training", training);
        trainingPane.setExpanded(false);
        trainingPane.setId("head-training");
        VBox headBody = new VBox(6, hd, trainingPane);

        GridPane em = grid();
        row(em, "Cache rows", cacheRows, "embedding rows kept in memory; the rest are read from the file on demand");
        row(em, "Row storage", embeddingRows, "how embedding rows are stored: int8 with a scale per row, or f32");
        GridPane i8 = grid();
        row(i8, "Scheme", int8Scheme, "row: one scale per row");
        GridPane pr = grid();
        row(pr, "Default", fallback, "every block matrix not overridden: fp32, fp16, int8 (a scale per row), q4_0 or "
                + "q4_1 (ggml's 4-bit blocks of 32)");
        row(pr, "Overrides", precisionOverrides, "by full name (blocks.0.att.key=fp16) or within every block "
                + "(ffn.value=int8); the full name wins");
        row(pr, "", errorFeedback, "GPTQ error feedback where it lowers the output error on the calibration text");
        GridPane cal = grid();
        row(cal, "Text file", calibrationFile, "calibration text for whitening, predictors and the head (empty: the "
                + "sample's)");
        row(cal, "Tokens", calibrationTokens, "how many of its tokens to use");
        Label calTitle = new Label("Calibration");
        calTitle.getStyleClass().add("section-title");

        root.getChildren().addAll(section(lowRank, lr), section(sparse, sp), section(head, headBody),
                section(embedding, em), section(int8, i8), section(precision, pr), new VBox(6, calTitle, cal));
        root.getStyleClass().add("recipe-form");

        load(RecipeDefaults.PAPER);
        for (ObservableValue<?> v : List.<ObservableValue<?>>of(lowRank.selectedProperty(), method.valueProperty(),
                rule.valueProperty(), ratio.valueProperty(), energy.valueProperty(), budget.valueProperty(),
                fixedRank.valueProperty(), overrides.textProperty(), ridge.textProperty(), sparse.selectedProperty(),
                predictor.valueProperty(), threshold.valueProperty(), oneBitSparsity.valueProperty(),
                layerThresholds.textProperty(), mlpWidth.valueProperty(), samples.valueProperty(),
                cacheNeurons.valueProperty(), tailRank.valueProperty(), headCacheRows.valueProperty(),
                headRows.valueProperty(), embeddingRows.valueProperty(), precision.selectedProperty(),
                fallback.valueProperty(), precisionOverrides.textProperty(), errorFeedback.selectedProperty(),
                head.selectedProperty(), clusters.valueProperty(), coverage.valueProperty(),
                clusterRange.lowValueProperty(), clusterRange.highValueProperty(), space.valueProperty(),
                pcaDims.valueProperty(), seed.valueProperty(), kmeansIterations.valueProperty(), epochs.valueProperty(),
                batchSize.valueProperty(), learningRate.textProperty(), heldOutShare.valueProperty(),
                embedding.selectedProperty(), cacheRows.valueProperty(), int8.selectedProperty(),
                int8Scheme.valueProperty(), calibrationFile.textProperty(), calibrationTokens.valueProperty())) {
            v.addListener((o, was, now) -> changed());
        }
        matrices.getCheckModel().getCheckedItems().addListener((ListChangeListener<String>) c -> changed());
    }

    private void changed() {
        if (loading) return;
        try {
            Recipe r = build();
            problem.set(null);
            recipe.set(r);
        } catch (IllegalArgumentException e) {
            problem.set(e.getMessage());
        }
    }

    /** The projections a block of the open model has, and the generation's default choice among them. */
    void setMatrices(List<String> available, List<String> defaults) {
        loading = true;
        try {
            matrices.getItems().setAll(available);
            defaultMatrices = List.copyOf(defaults);
            Recipe r = recipe.get();
            checkMatrices(r == null || r.lowRank() == null ? null : r.lowRank().matrices());
        } finally {
            loading = false;
        }
    }

    private void checkMatrices(List<String> chosen) {
        matrices.getCheckModel().clearChecks();
        for (String m : chosen == null ? defaultMatrices : chosen) matrices.getCheckModel().check(m);
    }

    /** Moves every knob to the recipe's settings, the defaults where it has none; the recipe becomes the document. */
    void load(Recipe r) {
        loading = true;
        try {
            generation = r.generation();
            Recipe.LowRank l = r.lowRank() != null ? r.lowRank() : RecipeDefaults.LOW_RANK;
            lowRank.setSelected(r.lowRank() != null);
            method.setValue(l.method() == null ? "svd" : l.method().toString());
            RankRule k = l.rule();
            ratio.setValue(k instanceof RankRule.Ratio q ? q.value() : ((RankRule.Ratio) RecipeDefaults.RULE).value());
            energy.setValue(k instanceof RankRule.Energy q ? q.value() : 0.9);
            budget.setValue(k instanceof RankRule.Budget q ? q.value() : 0.5);
            fixedRank.getValueFactory().setValue(k instanceof RankRule.Fixed q ? q.rank() : 16);
            rule.setValue(k.kind());
            checkMatrices(l.matrices());
            overrides.setText(l.overrides() == null ? "" : pairs(l.overrides()));
            ridge.setText(number(l.ridge() != null ? l.ridge() : RecipeDefaults.RIDGE));

            Recipe.SparseFfn s = r.sparseFfn() != null ? r.sparseFfn() : RecipeDefaults.SPARSE;
            Recipe.SparseFfn sd = RecipeDefaults.SPARSE;
            sparse.setSelected(r.sparseFfn() != null);
            predictor.setValue(s.predictor() == null ? "mlp" : s.predictor().toString());
            threshold.setValue(s.threshold() != null ? s.threshold() : sd.threshold());
            oneBitSparsity.setValue(s.oneBitSparsity() != null ? s.oneBitSparsity() : sd.oneBitSparsity());
            layerThresholds.setText(s.layerThresholds() == null ? "" : pairs(s.layerThresholds()));
            mlpWidth.getValueFactory().setValue(s.mlpWidth() != null ? s.mlpWidth() : sd.mlpWidth());
            samples.getValueFactory().setValue(s.samples() != null ? s.samples() : sd.samples());
            cacheNeurons.getValueFactory().setValue(s.cacheNeurons() != null ? s.cacheNeurons() : 0);

            ClusteredHeadSettings h = r.head() != null ? r.head() : RecipeDefaults.HEAD;
            head.setSelected(r.head() != null);
            clusters.getValueFactory().setValue(h.clusters());
            coverage.setValue(h.coverage());
            clusterRange.setMax(Math.max(200, Math.max(h.clusters(), h.maxClusters())));
            clusterRange.setLowValue(clusterRange.getMin());
            clusterRange.setHighValue(h.maxClusters());
            clusterRange.setLowValue(h.minClusters());
            space.setValue(h.space());
            pcaDims.getValueFactory().setValue(h.pcaDims());
            seed.getValueFactory().setValue((int) h.seed());
            kmeansIterations.getValueFactory().setValue(h.kmeansIterations());
            epochs.getValueFactory().setValue(h.epochs());
            batchSize.getValueFactory().setValue(h.batchSize());
            learningRate.setText(number(h.learningRate()));
            heldOutShare.setValue(h.heldOutShare());
            tailRank.getValueFactory().setValue(h.tailRank());
            headCacheRows.getValueFactory().setValue(h.cacheRows());
            headRows.setValue(h.precision());

            embedding.setSelected(r.embedding() != null);
            EmbeddingCacheSettings e = r.embedding() != null ? r.embedding() : RecipeDefaults.EMBEDDING;
            cacheRows.getValueFactory().setValue(e.cacheRows());
            embeddingRows.setValue(e.precision());
            int8.setSelected(r.int8() != null && r.int8().on());
            int8Scheme.setValue(r.int8() != null && r.int8().scheme() != null ? r.int8().scheme() : "row");
            Recipe.Quantization q = r.precision();
            precision.setSelected(q != null);
            // a section without a default stores fp32; a section switched on starts from fp16
            fallback.setValue(q == null ? RecipeDefaults.PRECISION : q.fallback() != null ? q.fallback() : Precision.FP32);
            precisionOverrides.setText(q == null ? "" : pairs(q.overrides()));
            errorFeedback.setSelected(q == null || q.feedback());
            Recipe.Calibration c = r.calibration();
            calibrationFile.setText(c != null && c.file() != null ? c.file() : "");
            calibrationTokens.getValueFactory().setValue(c != null && c.tokens() != null ? c.tokens()
                    : Calibration.DEFAULT_TOKENS);
        } finally {
            loading = false;
        }
        problem.set(null);
        recipe.set(build());
    }

    /** The recipe the knobs describe. @throws IllegalArgumentException naming a field that does not parse */
    Recipe build() {
        Recipe.LowRank lr = null;
        if (lowRank.isSelected()) {
            RankRule r = switch (rule.getValue()) {
                case "energy" -> RankRule.energy(rounded(energy));
                case "budget" -> RankRule.budget(rounded(budget));
                case "fixed" -> RankRule.fixed(fixedRank.getValue());
                default -> RankRule.ratio(rounded(ratio));
            };
            List<String> chosen = new ArrayList<>(matrices.getCheckModel().getCheckedItems());
            List<String> m = chosen.isEmpty() || (chosen.size() == defaultMatrices.size()
                    && chosen.containsAll(defaultMatrices)) ? null : order(chosen);
            Map<String, Integer> o = parsePairs(overrides, "rank override", Integer::parseInt);
            lr = new Recipe.LowRank(LowRankMethod.parse(method.getValue()), m, r, o, parseNumber(ridge, "ridge"));
        }
        Recipe.SparseFfn sf = null;
        if (sparse.isSelected()) {
            sf = new Recipe.SparseFfn(PredictorKind.parse(predictor.getValue()), rounded(threshold),
                    parsePairs(layerThresholds, "layer threshold", Double::parseDouble), mlpWidth.getValue(),
                    rounded(oneBitSparsity), samples.getValue(), cacheNeurons.getValue() == 0 ? null
                    : cacheNeurons.getValue());
        }
        ClusteredHeadSettings hs = null;
        if (head.isSelected()) {
            int lo = (int) Math.round(clusterRange.getLowValue()), hi = (int) Math.round(clusterRange.getHighValue());
            try {
                hs = new ClusteredHeadSettings(clusters.getValue(), rounded(coverage), lo, hi, pcaDims.getValue(),
                        space.getValue(), seed.getValue(), kmeansIterations.getValue(), epochs.getValue(),
                        batchSize.getValue(), parseNumber(learningRate, "learning rate"), rounded(heldOutShare),
                        headCacheRows.getValue(), headRows.getValue(), tailRank.getValue());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("clustered head: " + e.getMessage());
            }
        }
        EmbeddingCacheSettings es = embedding.isSelected()
                ? new EmbeddingCacheSettings(cacheRows.getValue(), embeddingRows.getValue()) : null;
        Recipe.Int8 i8 = int8.isSelected() ? new Recipe.Int8(true, int8Scheme.getValue()) : null;
        String file = calibrationFile.getText().isBlank() ? null : calibrationFile.getText().strip();
        int tokens = calibrationTokens.getValue();
        Recipe.Calibration cal = file == null && tokens == Calibration.DEFAULT_TOKENS ? null
                : new Recipe.Calibration(file, tokens);
        Recipe.Quantization q = null;
        if (precision.isSelected()) {
            // absent means on: only switching it off is written
            q = new Recipe.Quantization(fallback.getValue(), parsePairs(precisionOverrides, "precision override",
                    Precision::parse), errorFeedback.isSelected() ? null : false);
        }
        return new Recipe(generation, lr, sf, hs, es, i8, q, cal);
    }

    /** The chosen matrices in the order the model lists them, so the same choice is the same recipe. */
    private List<String> order(List<String> chosen) {
        return matrices.getItems().stream().filter(chosen::contains).toList();
    }

    ReadOnlyObjectProperty<Recipe> recipeProperty() {
        return recipe.getReadOnlyProperty();
    }

    /** What a field that does not parse says, or null. */
    ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    Recipe recipe() {
        return recipe.get();
    }

    Node node() {
        return root;
    }

    /** Shows the one rank-rule row (rows 2 to 5 of the low-rank grid) that the chosen rule reads. */
    private static void showOnly(GridPane g, String ruleName) {
        List<String> rows = List.of("ratio", "energy", "budget", "fixed");
        for (Node n : g.getChildren()) {
            Integer r = GridPane.getRowIndex(n);
            if (r == null || r < 2 || r > 5) continue;
            boolean on = rows.get(r - 2).equals(ruleName);
            n.setVisible(on);
            n.setManaged(on);
        }
    }
}
