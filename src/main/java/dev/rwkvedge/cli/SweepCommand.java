package dev.rwkvedge.cli;

import dev.rwkvedge.compress.Calibration;
import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.Sweep;
import dev.rwkvedge.io.AtomicFiles;
import dev.rwkvedge.model.LoadedModel;
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

    @Override
    public Integer call() throws Exception {
        Sweep.Grid grid = Sweep.readGrid(gridFile);
        try (LoadedModel dense = opts.open(); CliProgress progress = new CliProgress("sweep")) {
            Tokenizer tok = opts.tokenizer(dense);
            boolean needs = grid.recipes().values().stream().anyMatch(Recipe::needsCalibration);
            int[] calib = null;
            if (needs) {
                Path file = calibration != null ? calibration : Calibration.defaultFile();
                calib = Calibration.tokens(file, tok, Calibration.DEFAULT_TOKENS);
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
