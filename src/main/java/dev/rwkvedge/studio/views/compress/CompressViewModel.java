package dev.rwkvedge.studio.views.compress;

import dev.rwkvedge.analysis.AnalysisCache;
import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.SizeReport;
import dev.rwkvedge.studio.jobs.JobRunner;
import dev.rwkvedge.studio.jobs.LatestRequest;
import dev.rwkvedge.studio.session.CompressedModel;
import dev.rwkvedge.studio.session.ModelSession;
import dev.rwkvedge.studio.session.OpenModel;
import dev.rwkvedge.studio.views.compress.model.RecipeDiff;
import dev.rwkvedge.studio.views.compress.model.RecipeHistory;
import dev.rwkvedge.studio.views.compress.model.SessionStore;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.animation.PauseTransition;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import javafx.util.Duration;

/**
 * The Compress view's state and the jobs behind it: the recipe (with undo and redo), every point tried on the open
 * model (kept across sessions under the model's content hash), the current point and a pinned pair. A recipe change
 * builds its model from cached artefacts and shows the point at its size at once; the quick proxy (agreement with
 * dense, exported file bytes) follows, and once the knobs rest the task score with its interval. FX thread only;
 * all computation runs in background jobs.
 */
public final class CompressViewModel {
    /** The techniques a shortcut can switch. */
    public enum Technique { LOW_RANK, SPARSE_FFN, HEAD, EMBEDDING, INT8 }

    private static final Duration SETTLE = Duration.millis(1500);
    private static final int KEPT_MODELS = 6;

    private final ModelSession session;
    private final JobRunner jobs;
    private final ObjectProperty<Recipe> recipe = new SimpleObjectProperty<>(this, "recipe", RecipeDefaults.PAPER);
    private final ObservableList<TradeOffPoint> points = FXCollections.observableArrayList();
    private final ObservableList<TradeOffPoint> pinned = FXCollections.observableArrayList();
    // one read-only view each: a wrapper made per call would hold its listeners weakly and lose them
    private final ObservableList<TradeOffPoint> pointsView = FXCollections.unmodifiableObservableList(points);
    private final ObservableList<TradeOffPoint> pinnedView = FXCollections.unmodifiableObservableList(pinned);
    private final ReadOnlyObjectWrapper<TradeOffPoint> current = new ReadOnlyObjectWrapper<>(this, "current");
    private final ObjectProperty<QualityMetric> metric = new SimpleObjectProperty<>(this, "metric", QualityMetric.TOP1);
    private final ObjectProperty<SizeAxis> axis = new SimpleObjectProperty<>(this, "axis", SizeAxis.RESIDENT);
    private final ObjectProperty<CompressData> data = new SimpleObjectProperty<>(this, "data", CompressData.sample());
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem");
    private final ReadOnlyStringWrapper taskStatus = new ReadOnlyStringWrapper(this, "taskStatus", "");
    private final ReadOnlyStringWrapper sessionStatus = new ReadOnlyStringWrapper(this, "sessionStatus", "");
    private final ReadOnlyObjectWrapper<Task<?>> working = new ReadOnlyObjectWrapper<>(this, "working");
    private final ObjectProperty<Integer> taskItems = new SimpleObjectProperty<>(this, "taskItems", 0);
    private final BooleanProperty autoScore = new SimpleBooleanProperty(this, "autoScore", true);
    private final RecipeHistory history = new RecipeHistory();
    private final BuiltModels built;
    private final LatestRequest<CompressionBench.Build> building;
    private final LatestRequest<Sized> sizing;
    private final LatestRequest<Measured> measuring;
    private final LatestRequest<FileSized> fileSizing;
    private final LatestRequest<Scored> scoring;
    private final PauseTransition settle = new PauseTransition(SETTLE);
    private final FitToSize fit;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "compress-session-writer");
        t.setDaemon(true);
        return t;
    });
    private SessionStore store = new SessionStore(AnalysisCache.atDefaultLocation());
    private CompressionBench bench;
    private String modelHash;
    private boolean active, pending;
    // set while undo/redo moves the recipe, so the move itself is not recorded as an edit
    private boolean navigating;

    public CompressViewModel(ModelSession session, JobRunner jobs) {
        this.session = session;
        this.jobs = jobs;
        built = new BuiltModels(KEPT_MODELS, m -> m == session.compressed(), m -> jobs.runQuietly(m::close));
        building = new LatestRequest<>(jobs, "Compressing", this::built);
        building.setOnDiscarded(b -> jobs.runQuietly(b.model()::close));
        sizing = new LatestRequest<>(jobs, "Sizing", this::sized);
        measuring = new LatestRequest<>(jobs, "Measuring", this::measured);
        fileSizing = new LatestRequest<>(jobs, "Sizing the file", this::fileSized);
        scoring = new LatestRequest<>(jobs, "Evaluating", this::scored);
        settle.setOnFinished(e -> evaluate());
        fit = new FitToSize(jobs, () -> bench, this::edit, working::set);
        recipe.addListener((o, was, now) -> {
            if (!navigating) history.moved(was);
            recipeChanged(now);
        });
        data.subscribe(d -> {
            taskItems.set(d.taskItems());
            modelChanged(session.model());
        });
        session.modelProperty().subscribe(this::modelChanged);
    }

    // ---- the recipe -------------------------------------------------------------------------------------------

    /** The recipe in the knobs; setting it is an edit (undoable) and starts its build. */
    public ObjectProperty<Recipe> recipeProperty() {
        return recipe;
    }

    public Recipe recipe() {
        return recipe.get();
    }

    public void edit(Recipe r) {
        recipe.set(r);
    }

    public void undo() {
        move(history.undo(recipe.get()));
    }

    public void redo() {
        move(history.redo(recipe.get()));
    }

    private void move(Recipe r) {
        if (r == null) return;
        navigating = true;
        try {
            recipe.set(r);
        } finally {
            navigating = false;
        }
    }

    /** The same recipe in the knobs' spelling (every field written out): replaces it without an undo step. */
    public void respell(Recipe r) {
        move(r);
    }

    /** "Fit to size": the budget solver's recipe for a target, into the knobs as one edit. */
    public FitToSize fit() {
        return fit;
    }

    public RecipeHistory history() {
        return history;
    }

    /** Back to the paper's recipe, every setting at its default. */
    public void reset() {
        edit(RecipeDefaults.PAPER);
    }

    /** Moves the rank rule one step (a ratio by 1/40, energy by 0.01, budget by 0.05, a fixed rank by 4). */
    public void nudgeRank(int steps) {
        edit(RecipeDefaults.nudgeRank(recipe.get(), steps));
    }

    /**
     * Fixes one matrix's rank ("blocks.3.att.key"), switching low rank on and adding the matrix to those factored
     * when it is not among them.
     */
    public void setRankOverride(String matrix, int rank) {
        Recipe r = recipe.get();
        Recipe.LowRank l = r.lowRank() != null ? r.lowRank() : RecipeDefaults.LOW_RANK;
        java.util.Map<String, Integer> o = new java.util.TreeMap<>(l.overrides() == null ? java.util.Map.of() : l.overrides());
        o.put(matrix, rank);
        String projection = matrix.substring(matrix.indexOf('.', "blocks.".length()) + 1);
        List<String> matrices = l.matrices();
        OpenModel m = session.model();
        List<String> defaults = m == null ? List.of()
                : dev.rwkvedge.compress.Compressor.defaultLowRankMatrices(m.loaded().config().generation());
        List<String> chosen = matrices != null ? matrices : defaults;
        if (!chosen.contains(projection)) {
            matrices = new java.util.ArrayList<>(chosen);
            matrices.add(projection);
        }
        edit(new Recipe(r.generation(), new Recipe.LowRank(l.method(), matrices, l.rule(), o, l.ridge()), r.sparseFfn(),
                r.head(), r.embedding(), r.int8(), r.precision(), r.calibration()));
    }

    public void toggle(Technique t) {
        edit(RecipeDefaults.toggle(recipe.get(), t));
    }

    // ---- the points -------------------------------------------------------------------------------------------

    /** Every configuration tried on this model, in the order tried (those of earlier sessions first). */
    public ObservableList<TradeOffPoint> points() {
        return pointsView;
    }

    public ReadOnlyObjectProperty<TradeOffPoint> currentProperty() {
        return current.getReadOnlyProperty();
    }

    /** Restores a point's recipe (an edit, undoable). */
    public void pick(TradeOffPoint p) {
        edit(p.recipe());
    }

    /** Pins a point for comparison; a third pin replaces the older of the two. */
    public void pin(TradeOffPoint p) {
        pinned.removeIf(q -> q.key().equals(p.key()));
        if (pinned.size() == 2) pinned.removeFirst();
        pinned.add(p);
    }

    public void unpinAll() {
        pinned.clear();
    }

    public ObservableList<TradeOffPoint> pinned() {
        return pinnedView;
    }

    /** How the pinned pair's recipes differ (first to second), or an empty list without a pair. */
    public List<RecipeDiff.Change> pinnedDiff() {
        return pinned.size() < 2 ? List.of() : RecipeDiff.of(pinned.get(0).recipe(), pinned.get(1).recipe());
    }

    public ObjectProperty<QualityMetric> metricProperty() {
        return metric;
    }

    public ObjectProperty<SizeAxis> axisProperty() {
        return axis;
    }

    /** The text the view calibrates and measures with; changing it starts over on the open model. */
    public ObjectProperty<CompressData> dataProperty() {
        return data;
    }

    /** How many last-word items the task score uses (0: all); the next score uses the new count. */
    public ObjectProperty<Integer> taskItemsProperty() {
        return taskItems;
    }

    /** Whether the task score starts by itself once the knobs rest (off: only on Evaluate). */
    public BooleanProperty autoScoreProperty() {
        return autoScore;
    }

    /** Why nothing can be built or measured, or null. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** The task score's state: "evaluating...", why there is none, or what the dense model scored. */
    public ReadOnlyStringProperty taskStatusProperty() {
        return taskStatus.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty sessionStatusProperty() {
        return sessionStatus.getReadOnlyProperty();
    }

    /** The newest background job of this view (build, proxy or task score), for a progress bar. */
    public ReadOnlyObjectProperty<Task<?>> workingProperty() {
        return working.getReadOnlyProperty();
    }

    public CompressionBench bench() {
        return bench;
    }

    /** The content hash the session is stored under, once known (null for a model that is not a file). */
    public String modelHash() {
        return modelHash;
    }

    /** Where sessions are kept (tests and a user's own cache folder). Takes effect when the next model opens. */
    public void setSessionStore(SessionStore s) {
        store = s;
    }

    // ---- jobs -------------------------------------------------------------------------------------------------

    /** The view is shown: a model that was waiting gets its first build (compressing costs seconds; not unasked). */
    public void activate() {
        active = true;
        if (pending && bench != null) {
            pending = false;
            recipeChanged(recipe.get());
        }
    }

    private void modelChanged(OpenModel m) {
        pending = false;
        fit.reset();
        building.cancel();
        sizing.cancel();
        measuring.cancel();
        scoring.cancel();
        fileSizing.cancel();
        settle.stop();
        current.set(null);
        session.compressedProperty().set(null);
        built.clear();
        points.clear();
        pinned.clear();
        problem.set(null);
        taskStatus.set("");
        modelHash = null;
        if (bench != null) {
            CompressionBench old = bench;
            jobs.runQuietly(old::close);
        }
        bench = null;
        if (m == null) return;
        try {
            bench = new CompressionBench(m, data.get());
        } catch (IllegalStateException e) {
            problem.set("Cannot compress: " + e.getMessage());
            return;
        }
        restoreSession(m, bench);
        pending = true;
        if (active) activate();
    }

    /** Hashes the model file, reads its earlier points and adds the dense point, in the background. */
    private void restoreSession(OpenModel m, CompressionBench b) {
        SessionStore s = store;
        record Restored(String hash, SessionStore.Loaded loaded, TradeOffPoint dense) {}
        jobs.submit("Reading the session of " + m.path().getFileName(), pr -> {
            String hash = Files.isRegularFile(m.path()) ? s.cache().hash(m.path(), pr) : null;
            SessionStore.Loaded l = hash == null ? new SessionStore.Loaded(List.of(), "not a file")
                    : s.load(hash);
            return new Restored(hash, l, b.densePoint());
        }, r -> {
            if (b != bench) return;
            modelHash = r.hash();
            sessionStatus.set(r.loaded().status());
            for (TradeOffPoint p : r.loaded().points()) {
                if (find(p.key()) == null) points.add(p);
                else put(p.filledFrom(find(p.key())));
            }
            TradeOffPoint dense = r.dense().filledFrom(find(r.dense().key()));
            put(dense);
        });
    }

    private void recipeChanged(Recipe r) {
        if (bench == null || r == null || !active) {
            if (bench != null) pending = true;
            return;
        }
        String dp = bench.dataProblem();
        if (dp != null) {
            problem.set(dp);
            return;
        }
        settle.stop();
        scoring.cancel();
        measuring.cancel();
        fileSizing.cancel();
        String key = r.toJson();
        CompressedModel cached = built.get(key);
        TradeOffPoint known = find(key);
        if (cached != null && known != null) {
            building.cancel();
            makeCurrent(known, cached);
            return;
        }
        CompressionBench b = bench;
        // the size is analytic (or known from before): the point moves at once, before the build, which brings the
        // proxy, has started
        if (known != null) current.set(known);
        else sizing.submit("Sizing: " + RecipeLabels.describe(r), p -> new Sized(b, r, b.analyticSize(r)));
        working.set(building.submit("Compressing: " + RecipeLabels.describe(r), p -> b.build(r, p)));
    }

    private record Sized(CompressionBench bench, Recipe recipe, Optional<SizeReport> size) {}

    /** The analytic size arrived: the new point is shown at it until its build and proxy follow. */
    private void sized(Sized s) {
        String key = s.recipe().toJson();
        if (s.bench() != bench || s.size().isEmpty() || !key.equals(recipe.get().toJson()) || find(key) != null) return;
        TradeOffPoint p = TradeOffPoint.sized(s.recipe(), s.size().get());
        put(p);
        current.set(p);
    }

    private void built(CompressionBench.Build b) {
        TradeOffPoint p = b.point().filledFrom(find(b.point().key()));
        put(p);
        built.put(p.key(), b.model());
        if (p.key().equals(recipe.get().toJson())) makeCurrent(p, b.model());
    }

    private void makeCurrent(TradeOffPoint p, CompressedModel m) {
        current.set(p);
        session.compressedProperty().set(m);
        built.trim();
        if (!p.proxyMeasured()) {
            CompressionBench b = bench;
            String key = p.key();
            working.set(measuring.submit("Measuring agreement with dense", pr -> new Measured(b, key, b.proxy(m, pr))));
        } else {
            afterProxy(p);
        }
    }

    private record FileSized(CompressionBench bench, String key, long bytes) {}

    private void fileSized(FileSized f) {
        TradeOffPoint p = find(f.key());
        if (f.bench() != bench || p == null) return;
        TradeOffPoint q = p.withFileBytes(f.bytes());
        put(q);
        if (current.get() != null && current.get().key().equals(q.key())) current.set(q);
    }

    private record Measured(CompressionBench bench, String key, CompressionBench.Proxy proxy) {}

    private void measured(Measured m) {
        TradeOffPoint p = find(m.key());
        if (m.bench() != bench || p == null) return;
        CompressionBench.Proxy x = m.proxy();
        TradeOffPoint q = p.withProxy(x.top1Agreement(), x.meanKl(), p.fileBytes());
        put(q);
        if (current.get() != null && current.get().key().equals(q.key())) {
            current.set(q);
            afterProxy(q);
        }
    }

    /** After the proxy: the file's size (if not known), then the task score once the knobs rest. */
    private void afterProxy(TradeOffPoint p) {
        CompressedModel m = session.compressed();
        if (p.fileBytes() == null && m != null && p.key().equals(m.recipe().toJson())) {
            CompressionBench b = bench;
            String key = p.key();
            working.set(fileSizing.submit("Writing the file to measure it", pr -> new FileSized(b, key, b.fileBytes(m, pr))));
        }
        if (p.taskScore() != null) return;
        String tp = bench.taskProblem();
        if (tp != null) taskStatus.set(tp);
        else if (autoScore.get()) settle.playFromStart();
    }

    /** Measures the current recipe's task score (and the dense model's, once) in the background. */
    public void evaluate() {
        settle.stop();
        TradeOffPoint p = current.get();
        CompressedModel m = session.compressed();
        // a point shown at its analytic size has no model yet: it is scored once built
        if (p == null || m == null || bench == null || !m.recipe().toJson().equals(p.key())) return;
        String tp = bench.taskProblem();
        if (tp != null) {
            taskStatus.set(tp);
            return;
        }
        CompressionBench b = bench;
        int items = taskItems.get() == null ? 0 : Math.max(0, taskItems.get());
        taskStatus.set("evaluating...");
        working.set(scoring.submit("Evaluating last-word accuracy", pr ->
                new Scored(b, p.key(), b.taskScore(m, items, pr), b.denseTaskScore(items, pr))));
    }

    private record Scored(CompressionBench bench, String key, TaskScore compressed, TaskScore dense) {}

    private void scored(Scored s) {
        TradeOffPoint p = find(s.key());
        if (s.bench() != bench || p == null) return;
        TradeOffPoint q = p.withTaskScore(s.compressed());
        put(q);
        points.stream().filter(TradeOffPoint::dense).findFirst()
                .filter(d -> !s.dense().equals(d.taskScore())).ifPresent(d -> put(d.withTaskScore(s.dense())));
        if (current.get() != null && current.get().key().equals(s.key())) current.set(q);
        taskStatus.set(s.compressed().against(s.dense()));
    }

    /**
     * Builds and measures the current recipe along its rank rule in one background job; each point appears as it is
     * measured (size and proxy; the task score on Evaluate). The models are not kept, so a sweep costs no memory.
     */
    public Task<Integer> sweep() {
        if (bench == null || recipe.get() == null || bench.dataProblem() != null) return null;
        CompressionBench b = bench;
        List<String> known = points.stream().map(TradeOffPoint::key).toList();
        List<Recipe> recipes = RuleSweep.of(recipe.get()).stream().filter(r -> !known.contains(r.toJson())).toList();
        Task<Integer> t = jobs.submit("Sweeping " + recipes.size() + " recipes", pr -> {
            int n = 0;
            for (Recipe r : recipes) {
                pr.checkCancelled();
                StepProgress step = new StepProgress(pr, n, recipes.size(), 3, RecipeLabels.describe(r));
                step.stage(0, "compressing");
                CompressionBench.Build one = b.build(r, step);
                CompressionBench.Proxy x;
                long file;
                try {
                    step.stage(1, "measuring agreement with dense");
                    x = b.proxy(one.model(), step);
                    step.stage(2, "writing the file to measure it");
                    file = b.fileBytes(one.model(), step);
                } finally {
                    one.model().close();
                }
                TradeOffPoint p = one.point().withProxy(x.top1Agreement(), x.meanKl(), file);
                javafx.application.Platform.runLater(() -> {
                    if (b == bench && find(p.key()) == null) put(p);
                });
                n++;
            }
            return n;
        }, n -> {});
        working.set(t);
        return t;
    }

    private TradeOffPoint find(String key) {
        return points.stream().filter(p -> p.key().equals(key)).findFirst().orElse(null);
    }

    private void put(TradeOffPoint p) {
        boolean replaced = false;
        for (int i = 0; i < points.size() && !replaced; i++) {
            if (points.get(i).key().equals(p.key())) {
                points.set(i, p);
                replaced = true;
            }
        }
        if (!replaced) points.add(p);
        for (int i = 0; i < pinned.size(); i++) if (pinned.get(i).key().equals(p.key())) pinned.set(i, p);
        saveSession();
    }

    /** Writes the points under the model's hash, on a writer thread (newest snapshot last). */
    private void saveSession() {
        String hash = modelHash;
        OpenModel m = session.model();
        if (hash == null || m == null) return;
        List<TradeOffPoint> snapshot = List.copyOf(points);
        SessionStore s = store;
        String name = m.path().getFileName().toString();
        writer.execute(() -> {
            try {
                s.save(hash, name, snapshot);
            } catch (java.io.IOException e) {
                javafx.application.Platform.runLater(() -> sessionStatus.set("session not saved: " + e.getMessage()));
            }
        });
    }

    /** Waits until every session write submitted so far is on disk (for tests and the benchmark; not on FX). */
    public void flushSession() throws InterruptedException {
        try {
            writer.submit(() -> {}).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
