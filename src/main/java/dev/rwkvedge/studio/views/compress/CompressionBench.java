package dev.rwkvedge.studio.views.compress;

import dev.rwkvedge.compress.Calibration;
import dev.rwkvedge.compress.Compressor;
import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.eval.Agreement;
import dev.rwkvedge.eval.EvalData;
import dev.rwkvedge.eval.EvalResult;
import dev.rwkvedge.eval.EvalTask;
import dev.rwkvedge.eval.Perplexity;
import dev.rwkvedge.eval.RwkvLanguageModel;
import dev.rwkvedge.model.LoadedModel;
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

/**
 * Builds and measures compressed copies of one dense model, off the FX thread. What every recipe shares is made once
 * and kept: the calibration tokens and the dense model's pass over the held-out text (the agreement reference), so a
 * recipe costs its own compression and one candidate pass. Thread-safe.
 */
final class CompressionBench {
    /** A built configuration: the runnable model and its point on the trade-off chart. */
    record Build(CompressedModel model, TradeOffPoint point) {}

    private final OpenModel dense;
    private final Tokenizer tokenizer;
    private final CompressData data;
    private final Map<String, int[]> calibration = new HashMap<>();
    private Agreement reference;
    private Double denseTaskScore;

    /** @throws IllegalStateException when the model has no tokenizer (its text cannot be tokenized) */
    CompressionBench(OpenModel dense, CompressData data) {
        this.dense = dense;
        this.tokenizer = dense.tokenizer().orElseThrow(() -> new IllegalStateException(
                dense.tokenizerProblem().orElse("the model has no tokenizer")));
        this.data = data;
    }

    CompressData data() {
        return data;
    }

    /** Opens a fresh copy of the dense model (compression changes a model in place), compresses and measures it. */
    Build build(Recipe recipe, ProgressListener progress) throws Exception {
        int[] calib = needsCalibration(recipe) ? calibration(recipe, progress) : null;
        Agreement ref = reference(progress);
        LoadedModel fresh = LoadedModel.open(dense.path());
        try {
            Compressor.Applied applied = Compressor.apply(fresh, recipe, calib, progress);
            EvalResult q = ref.measure(new RwkvLanguageModel(fresh.model()), progress);
            progress.checkCancelled();
            TradeOffPoint point = TradeOffPoint.of(recipe, applied.size(), q.metric("top1_agreement"), q.metric("mean_kl"));
            return new Build(new CompressedModel(fresh, recipe, applied, tokenizer), point);
        } catch (Throwable e) {
            fresh.close();
            throw e;
        }
    }

    /** Last-word accuracy of the compressed model on the configured number of items. */
    double taskScore(CompressedModel m, ProgressListener progress) throws Exception {
        return m.withEngine(() -> lastWord(new RwkvLanguageModel(m.loaded().model()), progress));
    }

    /** The dense model's last-word accuracy on the same items, measured once. */
    synchronized double denseTaskScore(ProgressListener progress) throws Exception {
        if (denseTaskScore == null) {
            denseTaskScore = dense.withEngine(() -> lastWord(new RwkvLanguageModel(dense.loaded().model()), progress));
        }
        return denseTaskScore;
    }

    /** Why there is no task score (the items file is absent), or null. */
    String taskProblem() {
        return Files.isRegularFile(data.lastWord()) ? null
                : "No task score: the last-word items (" + data.lastWord() + ") are absent.";
    }

    private double lastWord(RwkvLanguageModel model, ProgressListener progress) throws IOException {
        return EvalTask.LASTWORD.run(model, tokenizer, new EvalTask.Settings(data.lastWord(), data.taskItems(),
                Perplexity.Segmentation.STREAM), null, progress).metric("accuracy");
    }

    static boolean needsCalibration(Recipe r) {
        return r.needsCalibration();
    }

    private synchronized int[] calibration(Recipe recipe, ProgressListener progress) throws IOException {
        Recipe.Calibration c = recipe.calibration();
        Path file = c != null && c.file() != null ? Path.of(c.file()) : data.calibration();
        int limit = c != null && c.tokens() != null ? c.tokens() : data.calibrationTokens();
        String key = file.toAbsolutePath() + "#" + limit;
        int[] tokens = calibration.get(key);
        if (tokens == null) {
            progress.update(0, 0, "Reading calibration text");
            tokens = Calibration.tokens(file, tokenizer, limit);
            calibration.put(key, tokens);
        }
        return tokens;
    }

    /** Why nothing can be measured (no text to compare on), or null. */
    String dataProblem() {
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
    synchronized int agreementTokens() {
        return reference == null ? 0 : reference.tokens();
    }

    boolean heldOutPresent() {
        return Files.isRegularFile(data.heldOut());
    }
}
