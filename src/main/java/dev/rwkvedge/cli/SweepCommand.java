package dev.rwkvedge.cli;

import dev.rwkvedge.compress.Calibration;
import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.Sweep;
import dev.rwkvedge.compress.SweepShards;
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

    @Option(names = "--shard", paramLabel = "I/N", description = "Run only shard I of N (1 <= I <= N): every N-th "
            + "recipe of the grid, starting with the I-th; the rows go to --out for --merge.")
    String shard;

    @Option(names = "--out", paramLabel = "FILE", converter = FileArgs.Output.class, description = "With --shard: the shard file to write "
            + "(default: sweep-shard-I-of-N.json).")
    Path shardOut;

    @Option(names = "--merge", arity = "1..*", paramLabel = "SHARD.json", converter = FileArgs.Input.class, description = "Join the shard files of "
            + "this grid (all N of them) into the rows, table, CSV and JSON of one unsharded run; runs no recipe.")
    List<Path> merge;

    @Override
    public void check() {
        if (FileArgs.synthetic(opts.model)) {
            throw new IllegalArgumentException("sweep reopens the model for every recipe; give it a model file, not "
                    + opts.model);
        }
    }

    @Override
    public Integer call() throws Exception {
        // --only, --limit and --decode-tokens narrow the grid; shards and their merge name the narrowed grid
        Sweep.Grid grid = narrowed(Sweep.readGrid(gridFile));
        if (shard != null && merge != null) throw new IllegalArgumentException("--shard and --merge exclude each other");
        if (shardOut != null && shard == null) throw new IllegalArgumentException("--out needs --shard I/N");
        if (merge != null) {
            report(SweepShards.merge(grid, SweepShards.gridId(grid), merge));
            return 0;
        }
        SweepShards.Shard part = shard == null ? null : SweepShards.Shard.parse(shard);
        try (LoadedModel dense = opts.open(); CliProgress progress = new CliProgress("sweep")) {
            Tokenizer tok = opts.tokenizer(dense);
            boolean needs = grid.recipes().values().stream().anyMatch(Recipe::needsCalibration);
            int[] calib = null;
            if (needs) {
                Path file = calibration != null ? calibration : Calibration.defaultFile();
                calib = Calibration.tokens(file, tok, calibrationTokens != null ? calibrationTokens : Calibration.DEFAULT_TOKENS);
            }
            Sweep.Grid run = part == null ? grid : SweepShards.slice(grid, part);
            List<Sweep.Row> rows = Sweep.run(opts.model, opts.groupNormEps, opts.threads, dense, tok, run, calib, progress);
            progress.close();
            if (part != null) {
                Path out = shardOut != null ? shardOut
                        : Path.of("sweep-shard-" + part.index() + "-of-" + part.count() + ".json");
                SweepShards.write(out, new SweepShards.ShardFile(SweepShards.gridId(grid),
                        String.valueOf(opts.model.getFileName()), part.index(), part.count(), rows));
            }
            report(rows);
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

    private void report(List<Sweep.Row> rows) throws java.io.IOException {
        if (csv != null) AtomicFiles.write(csv, Sweep.csv(rows).getBytes(StandardCharsets.UTF_8));
        if (json) {
            Json.print(rows);
        } else {
            System.out.print(table(rows));
        }
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
