package dev.rwkvedge.cli;

import dev.rwkvedge.compress.Calibration;
import dev.rwkvedge.compress.CompressedModelFile;
import dev.rwkvedge.compress.Compressor;
import dev.rwkvedge.compress.DenseReconstruction;
import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.SizeReport;
import dev.rwkvedge.compress.quant.QuantReport;
import dev.rwkvedge.compress.size.HeldReport;
import dev.rwkvedge.model.LoadedModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "compress", mixinStandardHelpOptions = true,
        description = "Apply a recipe and write the compressed model (and optionally a dense reconstruction).")
final class CompressCommand implements Callable<Integer>, Preflight.Checked {
    @Mixin
    ModelOptions opts;

    @Option(names = "--recipe", paramLabel = "R.json", converter = FileArgs.Input.class,
            description = "The recipe (JSON).")
    Path recipeFile;

    @Mixin
    BudgetOptions budget;

    @Option(names = {"-o", "--out"}, paramLabel = "OUT.safetensors", converter = FileArgs.CompressedModel.class,
            description = "The compressed model file (safetensors).")
    Path out;

    @Option(names = "--dense", paramLabel = "FILE", converter = FileArgs.DenseModel.class,
            description = "Also write the dense reconstruction: .pth, "
            + ".safetensors or .bin (rwkv.cpp), by the file name.")
    Path dense;

    @Option(names = "--calibration", paramLabel = "FILE", converter = FileArgs.Input.class, description = "Calibration "
            + "text (default: the recipe's, else models-sample/data/calibration.txt).")
    Path calibration;

    @Option(names = "--calibration-tokens", paramLabel = "N", converter = Ranges.Count.class, description = "Use at "
            + "most N calibration tokens (default: the recipe's, else " + Calibration.DEFAULT_TOKENS + ").")
    Integer calibrationTokens;


    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public void check() {
        budget.check(recipeFile != null);
        if (out == null && dense == null) throw new IllegalArgumentException("say where to write: -o OUT and/or --dense FILE");
        if (out != null && FileArgs.synthetic(opts.model)) {
            throw new IllegalArgumentException("-o needs a model file to name as its source; " + opts.model
                    + " has none (write the reconstruction with --dense instead)");
        }
    }

    @Override
    public Integer call() throws Exception {
        try (LoadedModel m = opts.open(); CliProgress progress = new CliProgress("compress")) {
            Recipe recipe = recipeFile != null ? Recipe.read(recipeFile)
                    : budget.solve(opts, m, calibration, calibrationTokens, progress);
            int[] calib = null;
            if (recipe.needsCalibration()) {
                calib = Calibration.forRecipe(recipe, calibration, calibrationTokens, null, opts.tokenizer(m));
            }
            Compressor.Applied applied = Compressor.apply(m, recipe, calib, progress);
            SizeReport s = applied.size();
            if (out != null) s = s.withFile(CompressedModelFile.write(out, m, recipe, applied));
            if (dense != null) DenseReconstruction.write(dense, m);
            progress.close();
            if (json) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("out", out == null ? null : out.toString());
                j.put("dense", dense == null ? null : dense.toString());
                j.put("ranks", applied.ranks());
                j.put("int8", applied.int8Matrices());
                j.put("quantization", applied.quantization());
                j.put("sparse_ffn", applied.sparseFfn());
                j.put("head", applied.head());
                j.put("size", s);
                j.put("held", HeldReport.of(m.model()));
                if (budget.solved != null) j.put("budget", budget.solved);
                j.put("ratio_vs_fp16", s.ratioVsFp16());
                j.put("ratio_vs_fp32", s.ratioVsFp32());
                if (out != null) j.put("file_ratio_vs_fp16", s.fileRatioVsFp16());
                Json.print(j);
            } else {
                if (budget.solved != null) budget.solved.explanation().forEach(System.out::println);
                System.out.printf("%-12s %14s %14s %14s%n", "component", "parameters", "resident bytes", "file bytes");
                for (SizeReport.Part p : s.parts()) {
                    System.out.printf("%-12s %,14d %,14d %14s%n", p.component(), p.parameters(), p.residentBytes(),
                            p.fileBytes() < 0 ? "" : String.format("%,d", p.fileBytes()));
                }
                if (out != null) {
                    long tensors = s.parts().stream().mapToLong(SizeReport.Part::fileBytes).sum();
                    System.out.printf("%-12s %14s %14s %,14d%n", "header", "", "", s.fileBytes() - tensors);
                }
                System.out.printf("%-12s %,14d %,14d %14s%n", "total", s.parameters(), s.residentBytes(),
                        out == null ? "" : String.format("%,d", s.fileBytes()));
                InfoCommand.printHeld(HeldReport.of(m.model()));
                System.out.printf("%nresident %,d bytes: %.2fx smaller than the dense model in fp16 (%,d), %.2fx vs fp32%n",
                        s.residentBytes(), s.ratioVsFp16(), s.baselineFp16Bytes(), s.ratioVsFp32());
                if (out != null) {
                    System.out.printf("file %,d bytes: %.2fx smaller than the dense model in fp16%n", s.fileBytes(),
                            s.fileRatioVsFp16());
                }
                for (var r : applied.sparseFfn()) {
                    System.out.printf("sparse ffn layer %d: true sparsity %.1f%%, predicted %.1f%%, recall %.1f%%, precision %.1f%%%n",
                            r.layer(), 100 * r.trueSparsity(), 100 * r.predictedSparsity(), 100 * r.recall(), 100 * r.precision());
                }
                QuantReport q = applied.quantization();
                if (!q.precisions().isEmpty()) {
                    System.out.printf("quantized %d matrices; calibration output error %.4f%% with plain rounding, %.4f%% kept"
                                    + " (error feedback kept for %d of %d)%n", q.precisions().size(),
                            100 * q.relativeRoundingError(), 100 * q.relativeKeptError(), q.feedbackKept(), q.feedbackTried());
                    q.fallbacks().forEach((name, why) -> System.out.println("  " + name + ": " + why));
                }
                if (applied.head() != null) {
                    System.out.printf("clustered head: top-1 agreement %.3f, mean KL %.4f, %.0f rows and %.1f clusters read per token%n",
                            applied.head().top1Agreement(), applied.head().meanKl(), applied.head().meanRowsPerToken(),
                            applied.head().meanClustersPerToken());
                }
                if (out != null) System.out.println("wrote " + out);
                if (dense != null) System.out.println("wrote " + dense + " (dense reconstruction)");
            }
            return 0;
        }
    }
}
