package dev.rwkvedge.compress.budget;

import dev.rwkvedge.compress.Compressor;
import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.SizeReport;
import dev.rwkvedge.eval.Agreement;
import dev.rwkvedge.eval.RwkvLanguageModel;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.task.ProgressListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Chooses a recipe that fits a resident-size budget with the least damage. Each part's settings are applied alone
 * to a fresh copy of the model and measured: resident bytes (also with each precision option for what stays dense) and mean
 * KL(dense || candidate) on a fixed probe of tokens. Sizes are read after the probe ran, as the sweep reads them: a
 * sparse channel mix then counts the neurons it computed rather than its whole bundle. Parts touch disjoint components, so a combination's size is the
 * dense size plus the parts' savings, and its KL is estimated as the sum of theirs; every combination is scored (the
 * grid is small), and the best few that fit are applied for real until one is confirmed within the budget.
 */
public final class BudgetSolver {
    /** Opens a fresh, uncompressed copy of the model (each candidate is applied to its own copy). */
    @FunctionalInterface
    public interface ModelSource {
        LoadedModel open() throws IOException;
    }

    /**
     * @param parts           per part, its settings, "off" first
     * @param probeTokens     KL is measured on the last this many calibration tokens
     * @param confirmAttempts how many predicted-fitting combinations to apply before giving up
     */
    public record Settings(List<List<PartOption>> parts, int probeTokens, int confirmAttempts) {
        public static Settings defaults() {
            return new Settings(PartOptions.defaults(), 512, 3);
        }
    }

    /** The budget cannot be met by any combination of the settings. */
    public static final class BudgetException extends IOException {
        public BudgetException(String message) {
            super(message);
        }
    }

    /**
     * One setting applied alone: resident bytes, the same with each precision option for what stays dense
     * ({@code bytesAt[i]} for option i of the precision row, 0 being "off"), mean KL to dense.
     */
    public record Measured(PartOption option, long bytes, long[] bytesAt, double kl) {}

    /** @param precision index into the precision row (0: off) */
    private record Combination(List<Measured> parts, int precision, long bytes, double kl) {}

    private BudgetSolver() {}

    public static SolvedRecipe solve(ModelSource source, LoadedModel dense, int[] calibration, long budgetBytes,
                                     ProgressListener progress) throws IOException {
        return solve(source, dense, calibration, budgetBytes, Settings.defaults(), progress);
    }

    /**
     * @param dense       the uncompressed model, the KL reference (left unchanged)
     * @param calibration tokens that fit the techniques; the probe is their tail
     */
    public static SolvedRecipe solve(ModelSource source, LoadedModel dense, int[] calibration, long budgetBytes,
                                     Settings settings, ProgressListener progress) throws IOException {
        SizeReport denseSize = denseSize(dense);
        if (budgetBytes >= denseSize.residentBytes()) return dense(denseSize, budgetBytes);
        return choose(measure(source, dense, calibration, settings, progress), source, calibration, budgetBytes, progress);
    }

    /** The uncompressed model's size report, against itself (so that its fp16 baseline is known). */
    public static SizeReport denseSize(LoadedModel dense) {
        return SizeReport.of(dense.model(), SizeReport.of(dense.model(), 0).parameters());
    }

    /** No technique: what any budget at least the dense model's resident size gets. */
    static SolvedRecipe dense(SizeReport denseSize, long budgetBytes) throws Recipe.RecipeException {
        long denseBytes = denseSize.residentBytes();
        return new SolvedRecipe(Recipe.parse("{}", "budget solver"), budgetBytes, denseBytes, denseBytes, 0, 0,
                List.of(), List.of(header(denseSize, budgetBytes), "the dense model fits: no technique applied"));
    }

    private static String header(SizeReport denseSize, long budgetBytes) {
        return String.format(Locale.ROOT, "budget %,d bytes resident (%.2fx smaller than the dense model in fp16, %,d);"
                + " the dense model holds %,d", budgetBytes, (double) denseSize.baselineFp16Bytes() / budgetBytes,
                denseSize.baselineFp16Bytes(), denseSize.residentBytes());
    }

    /**
     * Every part's settings applied alone and measured; independent of the budget, so one measurement serves many
     * budgets.
     */
    public static Sensitivities measure(ModelSource source, LoadedModel dense, int[] calibration, Settings settings,
                                        ProgressListener progress) throws IOException {
        SizeReport denseSize = denseSize(dense);
        long denseParams = denseSize.parameters();
        long denseBytes = denseSize.residentBytes();
        if (calibration == null || calibration.length < 2) throw new BudgetException("the budget solver needs calibration text");
        int[] probe = Arrays.copyOfRange(calibration, Math.max(0, calibration.length - settings.probeTokens()),
                calibration.length);
        int steps = settings.parts().stream().mapToInt(l -> (int) l.stream().filter(o -> !o.off()).count()).sum() + 1;
        ProgressListener quiet = quiet(progress);
        progress.update(0, steps, "dense reference");
        Agreement reference = Agreement.withReference(new RwkvLanguageModel(dense.model()), probe, quiet);
        List<PartOption> precisionRow = settings.parts().stream()
                .filter(l -> l.getFirst().part().equals(PartOptions.PRECISION)).findFirst()
                .orElse(List.of(PartOption.off(PartOptions.PRECISION)));
        long[] denseAt = bytesAt(dense.model(), denseBytes, precisionRow);

        int step = 1;
        List<List<Measured>> measured = new ArrayList<>();
        List<Measured> precisions = new ArrayList<>();
        precisions.add(new Measured(precisionRow.getFirst(), denseBytes, denseAt, 0));
        for (List<PartOption> options : settings.parts()) {
            List<Measured> row = new ArrayList<>();
            for (PartOption o : options) {
                if (o.off()) {
                    row.add(new Measured(o, denseBytes, denseAt, 0));
                    continue;
                }
                progress.checkCancelled();
                progress.update(step++, steps, "measuring " + o.part() + ": " + o.label());
                try (LoadedModel m = source.open()) {
                    Compressor.apply(m, recipe(List.of(o)), calibration, quiet);
                    double kl = reference.measure(new RwkvLanguageModel(m.model()), quiet).metric("mean_kl");
                    long bytes = SizeReport.of(m.model(), denseParams).residentBytes();
                    Measured x = new Measured(o, bytes, bytesAt(m.model(), bytes, precisionRow), kl);
                    if (o.part().equals(PartOptions.PRECISION)) precisions.add(x);
                    else row.add(x);
                }
            }
            if (!options.getFirst().part().equals(PartOptions.PRECISION)) measured.add(row);
        }
        progress.update(steps, steps, "measured");
        dense.model().forward(0, dense.model().newState()); // the working arrays of a decoded token, now held
        return new Sensitivities(denseSize, reference, settings.confirmAttempts(), measured, precisions,
                dense.model().workingBytes());
    }

    private static long[] bytesAt(dev.rwkvedge.runtime.RwkvModel model, long bytes, List<PartOption> precisionRow) {
        long[] at = new long[precisionRow.size()];
        for (int i = 0; i < at.length; i++) {
            at[i] = i == 0 ? bytes : bytes - PrecisionSavings.of(model, PartOptions.precisionOf(precisionRow.get(i)));
        }
        return at;
    }

    /**
     * The measurements of {@link #measure}; opaque except for its lines.
     *
     * @param precisions the precision row, "off" first (its bytes are the dense model's), each measured alone
     */
    /**
     * @param runtimeBytes the dense model's working arrays for a decoded token: memory a process holds beside any
     *                     recipe's weights (a compressed model's are no larger), left out of the budget for them
     */
    public record Sensitivities(SizeReport denseSize, Agreement reference, int confirmAttempts,
                                List<List<Measured>> parts, List<Measured> precisions, long runtimeBytes) {
        /** Per setting: bytes saved, KL added, KL per MB saved. */
        public List<String> lines() {
            long denseBytes = denseSize.residentBytes();
            long[] denseAt = precisions.getFirst().bytesAt();
            List<String> why = new ArrayList<>();
            for (List<Measured> row : parts) {
                for (Measured x : row) {
                    if (x.option().off()) continue;
                    StringBuilder at = new StringBuilder();
                    for (int i = 1; i < denseAt.length; i++) {
                        at.append(String.format(Locale.ROOT, ", %,d with %s", denseAt[i] - x.bytesAt()[i],
                                precisions.get(i).option().label()));
                    }
                    why.add(String.format(Locale.ROOT, "  %-9s %-48s saves %,10d bytes (%s), KL +%.4f%s",
                            x.option().part(), x.option().label(), denseBytes - x.bytes(),
                            at.length() == 0 ? "" : at.substring(2), x.kl(), denseBytes > x.bytes()
                                    ? String.format(Locale.ROOT, " (%.4f per MB saved)", x.kl() / ((denseBytes - x.bytes()) / 1e6))
                                    : ""));
                }
            }
            for (Measured p : precisions.subList(1, precisions.size())) {
                why.add(String.format(Locale.ROOT, "  %-9s %-48s saves %,10d bytes, KL +%.4f", p.option().part(),
                        p.option().label(), denseBytes - p.bytes(), p.kl()));
            }
            return why;
        }
    }

    /** Scores every combination against the budget and confirms the best that fits by applying it. */
    public static SolvedRecipe choose(Sensitivities s, ModelSource source, int[] calibration, long budgetBytes,
                                      ProgressListener progress) throws IOException {
        SizeReport denseSize = s.denseSize();
        if (budgetBytes >= denseSize.residentBytes()) return dense(denseSize, budgetBytes);
        long denseBytes = denseSize.residentBytes();
        List<Measured> precisions = s.precisions();
        long[] denseAt = precisions.getFirst().bytesAt();
        List<List<Measured>> measured = s.parts();
        Agreement reference = s.reference();
        ProgressListener quiet = quiet(progress);
        List<String> why = new ArrayList<>();
        why.add(header(denseSize, budgetBytes));
        // the measured model memory (tools/memory-bench.sh) includes the runtime's working arrays: weights get the rest
        long room = budgetBytes - s.runtimeBytes();
        why.add(String.format(Locale.ROOT, "decoding holds %,d bytes of working arrays beside the weights: the"
                + " weights may hold %,d", s.runtimeBytes(), room));
        why.add("each setting alone:");
        why.addAll(s.lines());
        int steps = s.confirmAttempts();
        int step = 0;
        List<Combination> all = new ArrayList<>();
        for (int q = 0; q < precisions.size(); q++) {
            enumerate(measured, 0, new ArrayList<>(), q, denseAt[q], precisions.get(q).kl(), all);
        }
        List<Combination> fitting = all.stream().filter(c -> c.bytes() <= room)
                .sorted(Comparator.comparingDouble(Combination::kl).thenComparingLong(Combination::bytes)).toList();
        if (fitting.isEmpty()) {
            long smallest = all.stream().mapToLong(Combination::bytes).min().orElse(denseBytes);
            throw new BudgetException(String.format(Locale.ROOT, "no combination of the solver's settings fits %,d bytes;"
                    + " the smallest holds %,d (%.2fx smaller than fp16) and decoding %,d more", budgetBytes, smallest,
                    (double) denseSize.baselineFp16Bytes() / smallest, s.runtimeBytes()));
        }
        why.add(String.format(Locale.ROOT, "%d of %d combinations fit by prediction", fitting.size(), all.size()));

        for (int i = 0; i < Math.min(s.confirmAttempts(), fitting.size()); i++) {
            Combination c = fitting.get(i);
            Recipe r = recipe(options(c, precisions));
            progress.checkCancelled();
            progress.update(step++, steps, "confirming choice " + (i + 1));
            try (LoadedModel m = source.open()) {
                Compressor.apply(m, r, calibration, quiet);
                double kl = reference.measure(new RwkvLanguageModel(m.model()), quiet).metric("mean_kl");
                long bytes = SizeReport.of(m.model(), denseSize.parameters()).residentBytes();
                if (bytes > room) {
                    why.add(String.format(Locale.ROOT, "rejected after applying: %s holds %,d bytes (predicted %,d)",
                            describe(c, precisions), bytes, c.bytes()));
                    continue;
                }
                List<SolvedRecipe.Choice> choices = new ArrayList<>();
                why.add("chosen (predicted KL " + String.format(Locale.ROOT, "%.4f", c.kl()) + "):");
                for (Measured x : c.parts()) {
                    long saved = denseAt[c.precision()] - x.bytesAt()[c.precision()];
                    choices.add(new SolvedRecipe.Choice(x.option().part(), x.option().label(), saved, x.kl()));
                }
                if (c.precision() > 0) {
                    Measured p = precisions.get(c.precision());
                    choices.add(new SolvedRecipe.Choice(PartOptions.PRECISION, p.option().label(),
                            denseBytes - denseAt[c.precision()], p.kl()));
                }
                for (SolvedRecipe.Choice ch : choices) {
                    why.add(String.format(Locale.ROOT, "  %-9s %-48s saves %,10d bytes, KL +%.4f alone", ch.part(),
                            ch.setting(), ch.bytesSaved(), ch.klIncrease()));
                }
                why.add(String.format(Locale.ROOT, "measured: %,d bytes resident (%.2fx smaller than fp16), mean KL %.4f"
                        + " to dense on %d probe tokens", bytes, (double) denseSize.baselineFp16Bytes() / bytes, kl,
                        reference.tokens()));
                progress.update(steps, steps, "done");
                return new SolvedRecipe(r, budgetBytes, c.bytes(), bytes, c.kl(), kl, choices, why);
            }
        }
        throw new BudgetException(String.join("\n", why.subList(why.size() - Math.min(3, why.size()), why.size()))
                + "\nno predicted-fitting combination was confirmed within " + room + " bytes");
    }

    private static void enumerate(List<List<Measured>> parts, int at, List<Measured> chosen, int precision, long base,
                                  double baseKl, List<Combination> out) {
        if (at == parts.size()) {
            long bytes = base;
            double kl = baseKl;
            for (Measured m : chosen) {
                bytes += m.bytesAt()[precision] - base;
                kl += m.kl();
            }
            out.add(new Combination(List.copyOf(chosen), precision, bytes, kl));
            return;
        }
        for (Measured m : parts.get(at)) {
            if (!m.option().off()) chosen.add(m);
            enumerate(parts, at + 1, chosen, precision, base, baseKl, out);
            if (!m.option().off()) chosen.removeLast();
        }
    }

    private static List<PartOption> options(Combination c, List<Measured> precisions) {
        List<PartOption> o = new ArrayList<>(c.parts().stream().map(Measured::option).toList());
        if (c.precision() > 0) o.add(precisions.get(c.precision()).option());
        return o;
    }

    private static String describe(Combination c, List<Measured> precisions) {
        return String.join(" + ", options(c, precisions).stream().map(o -> o.part() + " " + o.label()).toList());
    }

    static Recipe recipe(List<PartOption> options) throws Recipe.RecipeException {
        String body = String.join(", ", options.stream().filter(o -> !o.off()).map(PartOption::json).toList());
        return Recipe.parse("{" + body + "}", "budget solver");
    }

    /** The steps of one candidate draw no bar of their own but stop on cancellation like the solver. */
    private static ProgressListener quiet(ProgressListener progress) {
        return new ProgressListener() {
            @Override
            public void update(long done, long total, String message) {}

            @Override
            public boolean isCancelled() {
                return progress.isCancelled();
            }
        };
    }
}
