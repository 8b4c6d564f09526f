package dev.rwkvedge.studio.views.compress;

import dev.rwkvedge.compress.Calibration;
import dev.rwkvedge.compress.CompressedModelFile;
import dev.rwkvedge.compress.Compressor;
import dev.rwkvedge.compress.SizeReport;
import dev.rwkvedge.compress.budget.BudgetSolver;
import dev.rwkvedge.compress.budget.SolvedRecipe;
import dev.rwkvedge.compress.cache.ArtefactCache;
import dev.rwkvedge.compress.cache.HeadInputs;
import dev.rwkvedge.compress.embedding.EmbeddingCacheSettings;
import dev.rwkvedge.compress.size.AnalyticSize;
import dev.rwkvedge.compress.size.ModelShapes;
import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.eval.Agreement;
import dev.rwkvedge.eval.EvalData;
import dev.rwkvedge.eval.EvalResult;
import dev.rwkvedge.eval.EvalTask;
import dev.rwkvedge.eval.Perplexity;
import dev.rwkvedge.eval.RwkvLanguageModel;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.runtime.Parallel;
import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.studio.session.CompressedModel;
import dev.rwkvedge.studio.session.OpenModel;
import dev.rwkvedge.task.ProgressListener;
import dev.rwkvedge.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds and measures compressed copies of one dense model, off the FX thread, in the order the view shows them:
 * {@link #analyticSize} (the size, before building), {@link #build} (the runnable model), {@link #proxy} (agreement
 * with dense on the held-out batch), {@link #fileBytes} (the exported file's size), {@link #taskScore} (the slow one).
 * What recipes share is made once and kept: the calibration tokens, the dense model's pass over the held-out batch, and every artefact in the {@link ArtefactCache},
 * so a knob move costs only what it touches. Thread-safe.
 */
public final class CompressionBench implements AutoCloseable {
    /** A built configuration: the runnable model and its point, sized but not yet measured. */
    public record Build(CompressedModel model, TradeOffPoint point) {}

    /** What the quick proxy measured. */
    public record Proxy(double top1Agreement, double meanKl) {}

    private final OpenModel dense;
    private final Tokenizer tokenizer;
    private final CompressData data;
    // read without the bench's lock by the analytic size, which must not wait for the dense pass of reference()
    private final Map<String, int[]> calibration = new ConcurrentHashMap<>();
    private final ArtefactCache artefacts;
    private Agreement reference;
    private volatile AnalyticSize analytic;
    // per item count (0: all); the newest also goes on the dense point
    private final Map<Integer, TaskScore> denseTaskScores = new HashMap<>();
    // a recipe without techniques: it reads the calibration text the knobs use by default
    private static final Recipe NO_TECHNIQUE = new Recipe(null, null, null, null, null, null, null);
    private TaskScore denseTaskScore;

    /** @throws IllegalStateException when the model has no tokenizer (its text cannot be tokenized) */
    CompressionBench(OpenModel dense, CompressData data) {
        this.dense = dense;
        this.tokenizer = dense.tokenizer().orElseThrow(() -> new IllegalStateException(
                dense.tokenizerProblem().orElse("the model has no tokenizer")));
        this.data = data;
        this.artefacts = new ArtefactCache(dense.path());
    }

    public CompressData data() {
        return data;
    }

    /**
     * Opens a fresh copy of the dense model (compression changes a model in place) and compresses it from the cached
     * artefacts: the point's size is known when this returns.
     */
    public Build build(Recipe recipe, ProgressListener progress) throws Exception {
        int[] calib = needsCalibration(recipe) ? calibration(recipe, progress) : null;
        LoadedModel fresh = LoadedModel.open(dense.path());
        try {
            Compressor.Applied applied = Compressor.apply(fresh, recipe, calib, artefacts, progress);
            progress.checkCancelled();
            return new Build(new CompressedModel(fresh, recipe, applied, tokenizer),
                    TradeOffPoint.sized(recipe, applied.size()));
        } catch (Throwable e) {
            fresh.close();
            throw e;
        }
    }

    /**
     * The size the recipe's model will have, without building it (no weight touched, no lock a build holds), or empty
     * while an artefact it needs (a spectrum, the head's clusters, the predictors, the calibration tokens) is not
     * made yet: then the build brings the size.
     */
    public Optional<SizeReport> analyticSize(Recipe recipe) {
        int[] calib = null;
        if (recipe.needsCalibration()) {
            calib = calibration.get(calibrationKey(recipe));
            if (calib == null) return Optional.empty();
        }
        return analytic().of(recipe, calib, artefacts);
    }

    private AnalyticSize analytic() {
        AnalyticSize a = analytic;
        if (a == null) {
            // shapes only: nothing runs the engine
            a = new AnalyticSize(ModelShapes.of(dense.loaded()));
            analytic = a;
        }
        return a;
    }

    /**
     * Top-1 agreement and mean KL against the dense model on the fixed held-out batch. A recipe whose body (see
     * {@link #bodyKey}) was measured before runs only its head, on the inputs the blocks gave then: the same logits as
     * a full pass, without the blocks' cost.
     */
    public Proxy proxy(CompressedModel m, ProgressListener progress) throws Exception {
        Agreement ref = reference(progress);
        String body = bodyKey(m.recipe());
        return m.withEngine(() -> {
            RwkvModel model = m.loaded().model();
            HeadInputs known = artefacts.headInputs(body);
            EvalResult q;
            if (known != null) {
                // the model's own thread count: the head splits its sums as it did when they were recorded
                Parallel par = new Parallel(model.threads());
                try {
                    q = ref.measure(known.replay(model.head(), par), progress);
                } finally {
                    par.shutdown();
                }
            } else {
                HeadInputs.Recorder recorder = new HeadInputs.Recorder(model.head(), model.config().embd());
                model.setHead(recorder);
                try {
                    q = ref.measure(new RwkvLanguageModel(model), progress);
                } finally {
                    model.setHead(recorder.head());
                }
                // only a whole pass is kept (a cancelled one threw above)
                artefacts.keepHeadInputs(body, recorder.inputs());
            }
            return new Proxy(q.metric("top1_agreement"), q.metric("mean_kl"));
        });
    }

    /** The full forward pass's proxy, never replayed (to check the replay against). */
    Proxy fullProxy(CompressedModel m, ProgressListener progress) throws Exception {
        Agreement ref = reference(progress);
        return m.withEngine(() -> {
            EvalResult q = ref.measure(new RwkvLanguageModel(m.loaded().model()), progress);
            return new Proxy(q.metric("top1_agreement"), q.metric("mean_kl"));
        });
    }

    /**
     * The recipe less what only the head reads: the head section and the cache sizes (the embedding's rows kept
     * resident change where a row is read from, not its value). Two recipes with one body key give the head the
     * same inputs on the same text.
     */
    public static String bodyKey(Recipe r) {
        EmbeddingCacheSettings e = r.embedding() == null ? null
                : new EmbeddingCacheSettings(1, r.embedding().precision());
        return new Recipe(r.generation(), r.lowRank(), r.sparseFfn(), null, e, r.int8(), r.precision(),
                r.calibration()).toJson();
    }

    /**
     * The bytes of the file Export writes for this model: written to a temporary file and measured, so the card and
     * the file cannot disagree.
     */
    public long fileBytes(CompressedModel m, ProgressListener progress) throws Exception {
        return m.withEngine(() -> {
            progress.checkCancelled();
            Path tmp = Files.createTempFile("rwkv-edge-size-", ".safetensors");
            try {
                CompressedModelFile.write(tmp, m.loaded(), m.recipe(), m.applied());
                return Files.size(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        });
    }

    /** The uncompressed model as a point: its resident size, its own file, full agreement, no recipe applied. */
    public TradeOffPoint densePoint() throws IOException {
        // sizes only: nothing runs the engine
        SizeReport size = SizeReport.of(dense.loaded().model(), 0);
        Recipe none = new Recipe(null, null, null, null, null, null, null);
        return new TradeOffPoint(none.toJson(), none, new SizeReport(size.parts(), size.parameters()),
                Files.size(dense.path()), 1.0, 0.0, denseTaskScore(), true);
    }

    /** Last-word accuracy of the compressed model on the first {@code items} items (0: all), with its interval. */
    public TaskScore taskScore(CompressedModel m, int items, ProgressListener progress) throws Exception {
        return m.withEngine(() -> lastWord(new RwkvLanguageModel(m.loaded().model()), items, progress));
    }

    /** The dense model's size in fp16, what a ratio target divides (sizes only: nothing runs the engine). */
    public long fp16Bytes() {
        return BudgetSolver.denseSize(dense.loaded()).baselineFp16Bytes();
    }

    /** A fit's outcome: the solver's choice, and whether the per-part measurements were reused from an earlier fit. */
    public record Fitted(SolvedRecipe solved, boolean reused) {}

    /**
     * Chooses the least damaging recipe whose resident size fits the target ({@link BudgetSolver}), on the
     * calibration text the knobs use, so the recipe it returns builds here exactly as the solver applied it. The
     * per-part measurements are kept in the artefact cache under the settings and the calibration text: a second fit
     * to another target runs only the solver's choose step. The dense reference runs on a fresh copy of the model,
     * so the open one stays free for Generation.
     *
     * @throws BudgetSolver.BudgetException when no combination of the settings fits
     */
    public Fitted fit(FitTarget target, BudgetSolver.Settings settings, ProgressListener progress) throws IOException {
        LoadedModel open = dense.loaded();
        long budget = target.budget(BudgetSolver.denseSize(open).baselineFp16Bytes());
        BudgetSolver.ModelSource source = () -> LoadedModel.open(dense.path());
        int[] calib = calibration(NO_TECHNIQUE, progress);
        if (budget >= BudgetSolver.denseSize(open).residentBytes()) {
            // the dense model fits: nothing is measured
            return new Fitted(BudgetSolver.solve(source, open, calib, budget, settings, progress), false);
        }
        String key = settings + "|" + calibrationKey(NO_TECHNIQUE);
        BudgetSolver.Sensitivities known = artefacts.sensitivities(key);
        BudgetSolver.Sensitivities s = known;
        if (s == null) {
            try (LoadedModel reference = source.open()) {
                s = BudgetSolver.measure(source, reference, calib, settings, progress);
            }
            artefacts.keepSensitivities(key, s);
        }
        return new Fitted(BudgetSolver.choose(s, source, calib, budget, progress), known != null);
    }

    /** Artefacts reused and computed so far. */
    public long[] artefactCounts() {
        return artefacts.counts();
    }

    @Override
    public void close() {
        artefacts.close();
    }

    /** The dense model's task score if measured already. */
    public synchronized TaskScore denseTaskScore() {
        return denseTaskScore;
    }

    /** The dense model's last-word accuracy on the same items, measured once. */
    public synchronized TaskScore denseTaskScore(int items, ProgressListener progress) throws Exception {
        TaskScore s = denseTaskScores.get(items);
        if (s == null) {
            s = dense.withEngine(() -> lastWord(new RwkvLanguageModel(dense.loaded().model()), items, progress));
            denseTaskScores.put(items, s);
        }
        denseTaskScore = s;
        return s;
    }

    /** Why there is no task score (the items file is absent), or null. */
    public String taskProblem() {
        return Files.isRegularFile(data.lastWord()) ? null
                : "No task score: the last-word items (" + data.lastWord() + ") are absent.";
    }

    private TaskScore lastWord(RwkvLanguageModel model, int items, ProgressListener progress) throws IOException {
        EvalResult r = EvalTask.LASTWORD.run(model, tokenizer, new EvalTask.Settings(data.lastWord(), items,
                Perplexity.Segmentation.STREAM), null, progress);
        return TaskScore.wilson((int) Math.round(r.metric("accuracy") * r.items()), r.items());
    }

    static boolean needsCalibration(Recipe r) {
        return r.needsCalibration();
    }

    private String calibrationKey(Recipe recipe) {
        Recipe.Calibration c = recipe.calibration();
        Path file = c != null && c.file() != null ? Path.of(c.file()) : data.calibration();
        int limit = c != null && c.tokens() != null ? c.tokens() : data.calibrationTokens();
        return file.toAbsolutePath() + "#" + limit;
    }

    private synchronized int[] calibration(Recipe recipe, ProgressListener progress) throws IOException {
        Recipe.Calibration c = recipe.calibration();
        Path file = c != null && c.file() != null ? Path.of(c.file()) : data.calibration();
        int limit = c != null && c.tokens() != null ? c.tokens() : data.calibrationTokens();
        String key = calibrationKey(recipe);
        int[] tokens = calibration.get(key);
        if (tokens == null) {
            progress.update(0, 0, "Reading calibration text");
            tokens = Calibration.tokens(file, tokenizer, limit);
            calibration.put(key, tokens);
        }
        return tokens;
    }

    /** Why nothing can be measured (no text to compare on), or null. */
    public String dataProblem() {
        if (Files.isRegularFile(data.heldOut()) || Files.isRegularFile(data.calibration())) return null;
        return "Cannot measure: neither held-out text (" + data.heldOut() + ") nor calibration text ("
                + data.calibration() + ") was found. Install the sample model's data or open a model beside it.";
    }

    /** The dense pass over the held-out text (the calibration text's tokens when there is none). */
    private synchronized Agreement reference(ProgressListener progress) throws Exception {
        if (reference == null) {
            if (dataProblem() != null) throw new IOException(dataProblem());
            Path file = Files.isRegularFile(data.heldOut()) ? data.heldOut() : data.calibration();
            int[] all = tokenizer.encode(EvalData.text(file));
            int[] tokens = Arrays.copyOf(all, Math.min(all.length, data.agreementTokens()));
            progress.update(0, 0, "Running the dense model over " + tokens.length + " held-out tokens");
            reference = dense.withEngine(() ->
                    Agreement.withReference(new RwkvLanguageModel(dense.loaded().model()), tokens, progress));
        }
        return reference;
    }

    /** How many held-out tokens the proxy compares on, once known. */
    public synchronized int agreementTokens() {
        return reference == null ? 0 : reference.tokens();
    }

    public boolean heldOutPresent() {
        return Files.isRegularFile(data.heldOut());
    }
}
