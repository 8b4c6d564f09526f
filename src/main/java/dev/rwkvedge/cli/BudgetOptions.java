package dev.rwkvedge.cli;

import dev.rwkvedge.compress.Calibration;
import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.budget.BudgetSolver;
import dev.rwkvedge.compress.budget.SolvedRecipe;
import dev.rwkvedge.io.AtomicFiles;
import dev.rwkvedge.io.SizeText;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.model.SampleModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** compress's budget: instead of a recipe, a resident size to fit, and the budget solver chooses the recipe. */
final class BudgetOptions {
    @Option(names = "--target-size", paramLabel = "SIZE", converter = Size.class, description = "Choose the recipe: "
            + "the least damaging one whose resident size fits SIZE (bytes, or with kB, MB, GB, KiB, MiB, GiB).")
    Long targetSize;

    @Option(names = "--target-ratio", paramLabel = "X", converter = Ratio.class, description = "Choose the recipe: "
            + "resident X times smaller than the dense model in fp16.")
    Double targetRatio;

    @Option(names = "--write-recipe", paramLabel = "R.json", converter = FileArgs.Output.class,
            description = "Write the chosen recipe (JSON).")
    Path writeRecipe;

    @Option(names = "--probe-tokens", paramLabel = "N", converter = Ranges.Count.class, description = "The solver "
            + "measures KL to dense on the last N calibration tokens (default: ${DEFAULT-VALUE}).")
    int probeTokens = BudgetSolver.Settings.defaults().probeTokens();

    /** Set once {@link #solve} ran. */
    SolvedRecipe solved;

    void check(boolean hasRecipe) {
        int asked = (hasRecipe ? 1 : 0) + (targetSize != null ? 1 : 0) + (targetRatio != null ? 1 : 0);
        if (asked != 1) throw new IllegalArgumentException("give exactly one of --recipe, --target-size, --target-ratio");
        if (writeRecipe != null && hasRecipe) throw new IllegalArgumentException("--write-recipe needs --target-size or --target-ratio");
    }

    Recipe solve(ModelOptions opts, LoadedModel m, Path calibration, Integer tokens,
                                       CliProgress progress) throws IOException {
        Path file = calibration != null ? calibration : SampleModel.dataFolder().resolve("calibration.txt");
        int[] calib = Calibration.tokens(file, opts.tokenizer(m), tokens != null ? tokens : Calibration.DEFAULT_TOKENS);
        long budget = targetSize != null ? targetSize
                : (long) (BudgetSolver.denseSize(m).baselineFp16Bytes() / targetRatio);
        BudgetSolver.Settings d = BudgetSolver.Settings.defaults();
        solved = BudgetSolver.solve(opts::open, m, calib, budget,
                new BudgetSolver.Settings(d.parts(), probeTokens, d.confirmAttempts()), progress);
        if (writeRecipe != null) {
            byte[] json = (solved.recipe().toJson() + "\n").getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(writeRecipe, ch -> {
                ByteBuffer bb = ByteBuffer.wrap(json);
                while (bb.hasRemaining()) ch.write(bb);
            }, written -> {
                if (!Recipe.read(written).equals(solved.recipe())) throw new IOException(written + ": recipe read back differs");
            });
        }
        return solved.recipe();
    }

    /** 1000000, 1MB, 1.5 MiB, 800kB: decimal units are powers of 1000, binary ones of 1024 ({@link SizeText}). */
    static final class Size implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return SizeText.bytes(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** More than 0 (1 is the fp16 size itself). */
    static final class Ratio implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            try {
                return SizeText.ratio(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
