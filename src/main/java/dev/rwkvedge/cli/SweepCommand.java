package dev.rwkvedge.cli;

import dev.rwkvedge.compress.Calibration;
import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.Sweep;
import dev.rwkvedge.io.AtomicFiles;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run many recipes on one model: size, accuracy on the chosen tasks, agreement, speed; one row each.")
final class SweepCommand implements Callable<Integer>, Preflight.Checked {
    @Mixin
    ModelOptions opts;

    @Option(names = "--grid", required = true, paramLabel = "G.json", converter = FileArgs.Input.class,
            description = "{\"tasks\": [...], \"limits\": {task: n}, \"recipes\": {name: recipe, ...}}")
    Path gridFile;

    @Option(names = "--csv", paramLabel = "FILE", converter = FileArgs.Output.class,
            description = "Also write the rows as CSV.")
    Path csv;

    @Option(names = "--calibration", paramLabel = "FILE", converter = FileArgs.Input.class,
            description = "Calibration text (default: models-sample/data/calibration.txt).")
    Path calibration;

    @Option(names = "--calibration-tokens", paramLabel = "N", converter = Ranges.Count.class,
            description = "Use at most N calibration tokens (default: " + Calibration.DEFAULT_TOKENS + ").")
    Integer calibrationTokens;

    @Option(names = "--limit", paramLabel = "N", converter = Ranges.Count.class, description = "At most N items or "
            + "tokens per task, below the grid's own limits (for a quick trial run).")
    Integer limit;

    @Option(names = "--only", split = ",", paramLabel = "RECIPE", description = "Run only these recipes of the grid "
            + "(comma-separated or repeatable; default: all).")
    List<String> only = new ArrayList<>();

    @Option(names = "--decode-tokens", paramLabel = "N", converter = Ranges.Count.class,
            description = "Tokens per decode-speed run (default: the grid's, else 128).")
    Integer decodeTokens;


    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public void check() {
        if (FileArgs.synthetic(opts.model)) {
            throw new IllegalArgumentException("sweep reopens the model for every recipe; give it a model file, not "
                    + opts.model);
        }
    }

    @Override
    public Integer call() throws Exception {
        Sweep.Grid grid = narrowed(Sweep.readGrid(gridFile));
        try (LoadedModel dense = opts.open(); CliProgress progress = new CliProgress("sweep")) {
            Tokenizer tok = opts.tokenizer(dense);
            boolean needs = grid.recipes().values().stream().anyMatch(Recipe::needsCalibration);
            int[] calib = null;
            if (needs) {
                Path file = calibration != null ? calibration : Calibration.defaultFile();
                calib = Calibration.tokens(file, tok, calibrationTokens != null ? calibrationTokens : Calibration.DEFAULT_TOKENS);
            }
            List<Sweep.Row> rows = Sweep.run(opts.model, opts.groupNormEps, opts.threads, dense, tok, grid, calib, progress);
            progress.close();
            String text = Sweep.csv(rows);
            if (csv != null) AtomicFiles.write(csv, text.getBytes(StandardCharsets.UTF_8));
            if (json) {
                Json.print(rows);
            } else {
                System.out.print(table(rows));
            }
            return 0;
        }
    }

    /** The grid with --limit and --decode-tokens applied. */
    private Sweep.Grid narrowed(Sweep.Grid g) {
        Map<String, Integer> limits = new LinkedHashMap<>();
        if (g.limits() != null) limits.putAll(g.limits());
        if (limit != null) {
            for (String t : g.tasks()) {
                Integer own = limits.get(t);
                limits.put(t, own == null || own <= 0 ? limit : Math.min(own, limit));
            }
        }
        LinkedHashMap<String, Recipe> recipes = g.recipes();
        if (!only.isEmpty()) {
            recipes = new LinkedHashMap<>();
            for (String name : only) {
                Recipe r = g.recipes().get(name);
                if (r == null) throw new IllegalArgumentException(gridFile + " has no recipe \"" + name + "\"; it has "
                        + String.join(", ", g.recipes().keySet()));
                recipes.put(name, r);
            }
        }
        return new Sweep.Grid(g.tasks(), limits, recipes, decodeTokens != null ? decodeTokens : g.decodeTokens());
    }

    static String table(List<Sweep.Row> rows) {
        StringBuilder sb = new StringBuilder();
        List<String> keys = rows.stream().flatMap(r -> r.metrics().keySet().stream()).distinct().toList();
        sb.append(String.format(Locale.ROOT, "%-24s %12s %8s %12s", "recipe", "resident", "x fp16", "file"));
        for (String k : keys) sb.append(String.format(Locale.ROOT, " %22s", k));
        sb.append(String.format(Locale.ROOT, " %10s%n", "tok/s"));
        for (Sweep.Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-24s %,12d %8.2f %,12d", r.name(), r.residentBytes(), r.ratioVsFp16(),
                    r.fileBytes()));
            for (String k : keys) {
                Double v = r.metrics().get(k);
                sb.append(String.format(Locale.ROOT, " %22s", v == null ? "" : String.format(Locale.ROOT, "%.4f", v)));
            }
            sb.append(String.format(Locale.ROOT, " %10.1f%n", r.decodeTokensPerSecond()));
        }
        return sb.toString();
    }
}
