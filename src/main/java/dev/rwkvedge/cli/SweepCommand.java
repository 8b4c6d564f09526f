package dev.rwkvedge.cli;

import dev.rwkvedge.compress.Calibration;
import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.Sweep;
import dev.rwkvedge.compress.SweepShards;
import dev.rwkvedge.io.AtomicFiles;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.model.SampleModel;
import dev.rwkvedge.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run many recipes on one model: size, accuracy on the chosen tasks, agreement, speed; one row each.")
final class SweepCommand implements Callable<Integer> {
    @Mixin
    ModelOptions opts;

    @Option(names = "--grid", required = true, paramLabel = "G.json",
            description = "{\"tasks\": [...], \"limits\": {task: n}, \"recipes\": {name: recipe, ...}}")
    Path gridFile;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the rows as CSV.")
    Path csv;

    @Option(names = "--calibration", paramLabel = "FILE", description = "Calibration text (default: models-sample/data/calibration.txt).")
    Path calibration;


    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(names = "--shard", paramLabel = "I/N", description = "Run only shard I of N (1 <= I <= N): every N-th "
            + "recipe of the grid, starting with the I-th; the rows go to --out for --merge.")
    String shard;

    @Option(names = "--out", paramLabel = "FILE", description = "With --shard: the shard file to write "
            + "(default: sweep-shard-I-of-N.json).")
    Path shardOut;

    @Option(names = "--merge", arity = "1..*", paramLabel = "SHARD.json", description = "Join the shard files of "
            + "this grid (all N of them) into the rows, table, CSV and JSON of one unsharded run; runs no recipe.")
    List<Path> merge;

    @Override
    public Integer call() throws Exception {
        Sweep.Grid grid = Sweep.readGrid(gridFile);
        if (shard != null && merge != null) throw new IllegalArgumentException("--shard and --merge exclude each other");
        if (shardOut != null && shard == null) throw new IllegalArgumentException("--out needs --shard I/N");
        if (merge != null) {
            report(SweepShards.merge(grid, SweepShards.gridId(gridFile), merge));
            return 0;
        }
        SweepShards.Shard part = shard == null ? null : SweepShards.Shard.parse(shard);
        try (LoadedModel dense = opts.open(); CliProgress progress = new CliProgress("sweep")) {
            Tokenizer tok = opts.tokenizer(dense);
            boolean needs = grid.recipes().values().stream().anyMatch(CompressCommand::needsCalibration);
            int[] calib = null;
            if (needs) {
                Path file = calibration != null ? calibration : SampleModel.dataFolder().resolve("calibration.txt");
                calib = Calibration.tokens(file, tok, Calibration.DEFAULT_TOKENS);
            }
            Sweep.Grid run = part == null ? grid : SweepShards.slice(grid, part);
            List<Sweep.Row> rows = Sweep.run(opts.model, opts.groupNormEps, opts.threads, dense, tok, run, calib, progress);
            progress.close();
            if (part != null) {
                Path out = shardOut != null ? shardOut
                        : Path.of("sweep-shard-" + part.index() + "-of-" + part.count() + ".json");
                SweepShards.write(out, new SweepShards.ShardFile(SweepShards.gridId(gridFile),
                        String.valueOf(opts.model.getFileName()), part.index(), part.count(), rows));
            }
            report(rows);
            return 0;
        }
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
        sb.append(String.format(Locale.ROOT, "%-24s %12s %8s", "recipe", "resident", "x fp16"));
        for (String k : keys) sb.append(String.format(Locale.ROOT, " %22s", k));
        sb.append(String.format(Locale.ROOT, " %10s%n", "tok/s"));
        for (Sweep.Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-24s %,12d %8.2f", r.name(), r.residentBytes(), r.ratioVsFp16()));
            for (String k : keys) {
                Double v = r.metrics().get(k);
                sb.append(String.format(Locale.ROOT, " %22s", v == null ? "" : String.format(Locale.ROOT, "%.4f", v)));
            }
            sb.append(String.format(Locale.ROOT, " %10.1f%n", r.decodeTokensPerSecond()));
        }
        return sb.toString();
    }
}
