package dev.rwkvedge.compress;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rwkvedge.eval.EvalData;
import dev.rwkvedge.eval.EvalResult;
import dev.rwkvedge.eval.EvalTask;
import dev.rwkvedge.eval.LastWordItem;
import dev.rwkvedge.eval.Perplexity;
import dev.rwkvedge.eval.RwkvLanguageModel;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.runtime.RwkvState;
import dev.rwkvedge.task.ProgressListener;
import dev.rwkvedge.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Many recipes on one model, one row each: resident size against the dense model, the chosen evaluations, agreement
 * with the dense model, and decode speed. What the docs' trade-off table and the studio's chart are made of.
 */
public final class Sweep {
    /**
     * @param tasks   task ids (lastword, choice, perplexity, agreement)
     * @param limits  per task: items or tokens to use (0 or absent: all; agreement: its default)
     * @param recipes name to recipe, in order; an empty recipe is the dense model
     */
    public record Grid(List<String> tasks, Map<String, Integer> limits, LinkedHashMap<String, Recipe> recipes,
                       Integer decodeTokens) {}

    /**
     * One recipe's outcome; metrics are keyed "task.metric". Last word also gives the paired difference with the
     * dense model on the same items and its 95 % interval (lastword.delta, .delta_low, .delta_high).
     *
     * @param fileBytes size of the compressed file written for it
     */
    public record Row(String name, long residentBytes, double ratioVsFp16, double ratioVsFp32, long parameters,
                      long fileBytes, Map<String, Double> metrics, double decodeTokensPerSecond,
                      Compressor.Applied applied) {}

    private Sweep() {}

    public static Grid readGrid(Path file) throws IOException {
        try {
            Grid g = Recipe.MAPPER.readValue(Files.readString(file), Grid.class);
            if (g.recipes() == null || g.recipes().isEmpty()) throw new Recipe.RecipeException(file + ": the grid has no recipes");
            if (g.tasks() == null) throw new Recipe.RecipeException(file + ": the grid names no tasks");
            for (String t : g.tasks()) EvalTask.of(t);
            for (var e : g.recipes().entrySet()) {
                if (e.getValue() == null) throw new Recipe.RecipeException(file + ": recipe " + e.getKey() + " is null");
                e.getValue().validate(file + " recipe " + e.getKey());
            }
            return g;
        } catch (JsonProcessingException e) {
            throw new Recipe.RecipeException(file + ": malformed grid: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw new Recipe.RecipeException(file + ": " + e.getMessage());
        }
    }

    /**
     * Runs every recipe on a fresh copy of the model (opened from {@code source}), against {@code dense} for
     * agreement. The calibration tokens feed recipes that need them.
     */
    public static List<Row> run(Path source, Float gnEps, int threads, LoadedModel dense, Tokenizer tokenizer,
                                Grid grid, int[] calibration, ProgressListener progress) throws IOException {
        List<Row> rows = new ArrayList<>();
        int i = 0;
        long denseParams = SizeReport.of(dense.model(), 0).parameters();
        // the steps of one recipe draw no bar of their own but stop on cancellation like the sweep
        ProgressListener quiet = new ProgressListener() {
            @Override
            public void update(long done, long total, String message) {}

            @Override
            public boolean isCancelled() {
                return progress.isCancelled();
            }
        };
        List<LastWordItem> items = null;
        PairedLastWord.Scores denseWords = null;
        if (grid.tasks().contains(EvalTask.LASTWORD.id())) {
            items = EvalData.lastWord(EvalTask.LASTWORD.sampleData());
            Integer limit = grid.limits() == null ? null : grid.limits().get(EvalTask.LASTWORD.id());
            if (limit != null && limit > 0 && limit < items.size()) items = items.subList(0, limit);
            progress.update(0, grid.recipes().size(), "last word of the dense model");
            denseWords = PairedLastWord.score(new RwkvLanguageModel(dense.model()), tokenizer, items, quiet);
        }
        // each recipe's file is written once to learn its size, then replaced by the next
        Path scratch = Files.createTempFile("sweep", ".safetensors");
        try {
            for (var e : grid.recipes().entrySet()) {
                progress.checkCancelled();
                progress.update(i++, grid.recipes().size(), e.getKey());
                try (LoadedModel m = LoadedModel.open(source, gnEps)) {
                    m.model().setThreads(threads);
                    Compressor.Applied applied = Compressor.apply(m, e.getValue(), calibration, quiet);
                    SizeReport size = SizeReport.of(m.model(), denseParams);
                    Map<String, Double> metrics = new LinkedHashMap<>();
                    for (String t : grid.tasks()) {
                        EvalTask task = EvalTask.of(t);
                        if (task == EvalTask.LASTWORD) {
                            var words = PairedLastWord.score(new RwkvLanguageModel(m.model()), tokenizer, items, quiet);
                            var d = PairedLastWord.compare(denseWords.correct(), words.correct());
                            metrics.put("lastword.accuracy", words.accuracy());
                            metrics.put("lastword.perplexity", words.perplexity());
                            metrics.put("lastword.delta", d.delta());
                            metrics.put("lastword.delta_low", d.low());
                            metrics.put("lastword.delta_high", d.high());
                            continue;
                        }
                        int limit = grid.limits() != null && grid.limits().get(t) != null ? grid.limits().get(t) : 0;
                        EvalResult r = task.run(new RwkvLanguageModel(m.model()), tokenizer,
                                new EvalTask.Settings(null, limit, Perplexity.Segmentation.STREAM),
                                new RwkvLanguageModel(dense.model()), quiet);
                        r.metrics().forEach((k, v) -> metrics.put(task.id() + "." + k, v));
                    }
                    // clustered heads account the rows they actually read, so measure after the evaluations ran
                    size = SizeReport.of(m.model(), denseParams);
                    double speed = decodeSpeed(m.model(), grid.decodeTokens() != null ? grid.decodeTokens() : 128);
                    long file = CompressedModelFile.write(scratch, m, e.getValue(), applied).fileBytes();
                    rows.add(new Row(e.getKey(), size.residentBytes(), size.ratioVsFp16(), size.ratioVsFp32(),
                            size.parameters(), file, metrics, speed, applied));
                }
            }
        } finally {
            Files.deleteIfExists(scratch);
        }
        progress.update(grid.recipes().size(), grid.recipes().size(), "done");
        return rows;
    }

    /** Greedy decoding speed: one token per call, after a short warm-up, best of three. */
    static double decodeSpeed(RwkvModel model, int tokens) {
        double best = 0;
        for (int run = 0; run < 4; run++) {
            RwkvState st = model.newState();
            int tok = 1;
            long t0 = System.nanoTime();
            for (int i = 0; i < tokens; i++) {
                float[] logits = model.forward(tok, st);
                int arg = 0;
                for (int j = 1; j < logits.length; j++) if (logits[j] > logits[arg]) arg = j;
                tok = arg;
            }
            double s = tokens / ((System.nanoTime() - t0) / 1e9);
            if (run > 0) best = Math.max(best, s);
        }
        return best;
    }

    /** The rows as CSV: fixed columns, then every metric that any row has. */
    public static String csv(List<Row> rows) {
        List<String> keys = new ArrayList<>();
        for (Row r : rows) for (String k : r.metrics().keySet()) if (!keys.contains(k)) keys.add(k);
        StringBuilder sb = new StringBuilder("recipe,resident_bytes,ratio_vs_fp16,ratio_vs_fp32,parameters,file_bytes");
        for (String k : keys) sb.append(',').append(k);
        sb.append(",decode_tokens_per_s\n");
        for (Row r : rows) {
            sb.append(r.name()).append(',').append(r.residentBytes()).append(',')
                    .append(String.format(java.util.Locale.ROOT, "%.4f,%.4f", r.ratioVsFp16(), r.ratioVsFp32()))
                    .append(',').append(r.parameters()).append(',').append(r.fileBytes());
            for (String k : keys) {
                Double v = r.metrics().get(k);
                sb.append(',').append(v == null ? "" : String.format(java.util.Locale.ROOT, "%.6g", v));
            }
            sb.append(String.format(java.util.Locale.ROOT, ",%.1f%n", r.decodeTokensPerSecond()));
        }
        return sb.toString();
    }
}
