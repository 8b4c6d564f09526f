package dev.rwkvedge.studio;

import dev.rwkvedge.analysis.AnalysisCache;
import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.head.ClusteredHeadSettings;
import dev.rwkvedge.compress.head.Selection;
import dev.rwkvedge.model.SampleModel;
import dev.rwkvedge.studio.jobs.JobRunner;
import dev.rwkvedge.studio.session.ModelSession;
import dev.rwkvedge.studio.views.compress.CompressViewModel;
import dev.rwkvedge.studio.views.compress.TradeOffPoint;
import dev.rwkvedge.studio.views.compress.model.SessionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The Compress view model driven through 50 scripted knob changes on the sample model with every technique on: the
 * time from a change to the new point's size and to its proxy (agreement with dense and the file's bytes), and the
 * time from opening Compress to its first points. A benchmark, not a test: it asserts nothing and is not in the
 * suite (its name does not end in Test). Run it with
 * {@code mvn -o test -Dtest=CompressKnobBench -Dsurefire.failIfNoSpecifiedTests=false}, or its main method; it
 * prints a table.
 */
@ExtendWith(ApplicationExtension.class)
class CompressKnobBench {
    @Start
    void start(Stage stage) {}

    /** One knob change and when its size, its built model, its proxy and its file's bytes arrived. */
    record Step(String knob, double sizeMs, double builtMs, double proxyMs, double fileMs) {}

    /** Runs outside Maven too (on a copy of the classes, so rebuilding the tree does not disturb a long run). */
    public static void main(String[] args) throws Exception {
        Platform.startup(() -> {});
        new CompressKnobBench().fiftyKnobChanges();
        Platform.exit();
    }

    @Test
    void fiftyKnobChanges() throws Exception {
        Path model = SampleModel.dataFolder().getParent().resolve("rwkv7-kjv-5m.pth");
        Path cache = Files.createTempDirectory("compress-bench");
        JobRunner jobs = onFx(JobRunner::new);
        ModelSession session = onFx(() -> new ModelSession(jobs));
        CompressViewModel vm = onFx(() -> {
            CompressViewModel m = new CompressViewModel(session, jobs);
            m.setSessionStore(new SessionStore(new AnalysisCache(cache)));
            m.autoScoreProperty().set(false);
            return m;
        });
        onFx(() -> session.open(model));
        waitUntil(() -> session.model() != null, 120);
        // "opening Compress": the tab is shown with the paper's recipe in the knobs
        long open = System.nanoTime();
        onFx(() -> {
            vm.activate();
            return null;
        });
        waitUntil(() -> vm.points().stream().anyMatch(TradeOffPoint::dense), 120);
        double denseMs = ms(open);
        waitUntil(() -> current(vm) != null, 300);
        double firstSizeMs = ms(open);
        waitUntil(() -> current(vm).proxyMeasured(), 300);
        double firstProxyMs = ms(open);

        // every technique on (cold: this builds the whitened decompositions, the predictors and the head)
        Recipe all = Recipe.parse("""
                {"lowRank": {"method": "whitened", "rule": {"ratio": 0.25}, "ridge": 1e-4},
                 "sparseFfn": {"predictor": "both", "threshold": 0.7, "mlpWidth": 64, "oneBitSparsity": 0.9, "samples": 2000},
                 "head": {"clusters": 64, "coverage": 0.9, "maxClusters": 8, "space": "head"},
                 "embedding": {"cacheRows": 128}, "int8": {"enabled": true, "scheme": "row"}}""", "bench");
        Step cold = change(vm, session, "every technique on (cold)", r -> all);

        List<Step> steps = new ArrayList<>();
        List<UnaryOperator<Recipe>> script = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            switch (i % 10) {
                case 0, 1, 2 -> {
                    names.add("rank ratio +-0.025");
                    int dir = i % 20 < 10 ? 1 : -1;
                    script.add(r -> withRatio(r, r.lowRank().rule().ratio() + 0.025 * dir));
                }
                case 3, 4 -> {
                    names.add("head coverage");
                    double c = 0.8 + 0.02 * (i % 7);
                    script.add(r -> withHead(r, r.head().withSelection(new Selection(c, r.head().minClusters(),
                            r.head().maxClusters()))));
                }
                case 5, 6 -> {
                    names.add("sparse threshold");
                    double t = 0.5 + 0.05 * (i % 6);
                    script.add(r -> new Recipe(r.generation(), r.lowRank(), new Recipe.SparseFfn(dev.rwkvedge.compress.sparse.PredictorKind.BOTH, t, null, 64,
                            0.9, 2000), r.head(), r.embedding(), r.int8(), r.calibration()));
                }
                case 7 -> {
                    names.add("embedding cache rows");
                    int rows = 100 + i;
                    script.add(r -> new Recipe(r.generation(), r.lowRank(), r.sparseFfn(), r.head(),
                            new dev.rwkvedge.compress.embedding.EmbeddingCacheSettings(rows), r.int8(), r.calibration()));
                }
                case 8 -> {
                    names.add("int8 off/on");
                    script.add(r -> new Recipe(r.generation(), r.lowRank(), r.sparseFfn(), r.head(), r.embedding(),
                            r.int8() == null ? new Recipe.Int8(true, "row") : null, r.calibration()));
                }
                default -> {
                    names.add("head max clusters");
                    int max = 6 + (i % 4);
                    script.add(r -> withHead(r, r.head().withSelection(new Selection(r.head().coverage(),
                            r.head().minClusters(), max))));
                }
            }
        }
        for (int i = 0; i < script.size(); i++) steps.add(change(vm, session, names.get(i), script.get(i)));

        StringBuilder out = new StringBuilder("\n== CompressKnobBench (sample model, every technique on) ==\n");
        out.append(String.format(Locale.ROOT, "opening Compress: dense point %.0f ms, first recipe's size %.0f ms, "
                + "its proxy %.0f ms%n", denseMs, firstSizeMs, firstProxyMs));
        out.append(String.format(Locale.ROOT, "every technique on, cold: size %.0f ms, proxy %.0f ms, file %.0f ms%n",
                cold.sizeMs(), cold.proxyMs(), cold.fileMs()));
        out.append(String.format(Locale.ROOT, "50 knob changes: size p50 %.0f / p95 %.0f / max %.0f ms; "
                        + "proxy p50 %.0f / p95 %.0f / max %.0f ms%n",
                pct(steps, true, 50), pct(steps, true, 95), pct(steps, true, 100), pct(steps, false, 50),
                pct(steps, false, 95), pct(steps, false, 100)));
        double[] builds = steps.stream().mapToDouble(Step::builtMs).sorted().toArray();
        out.append(String.format(Locale.ROOT, "of which the build (the proxy waits for it): p50 %.0f / p95 %.0f ms%n",
                builds[builds.length / 2], builds[(int) Math.ceil(0.95 * builds.length) - 1]));
        double[] files = steps.stream().mapToDouble(Step::fileMs).sorted().toArray();
        out.append(String.format(Locale.ROOT, "file bytes after a change: p50 %.0f / max %.0f ms%n",
                files[files.length / 2], files[files.length - 1]));
        for (String knob : names.stream().distinct().toList()) {
            List<Step> mine = steps.stream().filter(s -> s.knob().equals(knob)).toList();
            out.append(String.format(Locale.ROOT, "  %-22s n=%2d size p50 %5.0f max %5.0f ms; proxy p50 %5.0f max %5.0f ms%n",
                    knob, mine.size(), pct(mine, true, 50), pct(mine, true, 100), pct(mine, false, 50),
                    pct(mine, false, 100)));
        }
        long[] counts = vm.bench().artefactCounts();
        out.append("artefacts reused ").append(counts[0]).append(", computed ").append(counts[1]).append('\n');
        System.out.println(out);
        onFx(() -> {
            session.close();
            jobs.close();
            return null;
        });
    }

    private static Recipe withRatio(Recipe r, double ratio) {
        Recipe.LowRank l = r.lowRank();
        double x = Math.round(ratio * 1000) / 1000.0;
        return new Recipe(r.generation(), new Recipe.LowRank(l.method(), l.matrices(),
                dev.rwkvedge.compress.RankRule.ratio(x), l.overrides(), l.ridge()), r.sparseFfn(), r.head(),
                r.embedding(), r.int8(), r.calibration());
    }

    private static Recipe withHead(Recipe r, ClusteredHeadSettings h) {
        return new Recipe(r.generation(), r.lowRank(), r.sparseFfn(), h, r.embedding(), r.int8(), r.calibration());
    }

    /** Makes one change on the FX thread and times the arrival of its size and its proxy. */
    private static Step change(CompressViewModel vm, ModelSession session, String knob, UnaryOperator<Recipe> edit)
            throws Exception {
        Recipe next = onFx(() -> edit.apply(vm.recipe()));
        String key = next.toJson();
        if (onFx(() -> vm.recipe().toJson()).equals(key)) throw new IllegalStateException(knob + " changes nothing");
        long t0 = System.nanoTime();
        CompletableFuture<Double> sized = new CompletableFuture<>(), proxied = new CompletableFuture<>(),
                filed = new CompletableFuture<>(), built = new CompletableFuture<>();
        onFx(() -> {
            session.compressedProperty().addListener((o, was, m) -> {
                if (m != null && m.recipe().toJson().equals(key)) built.complete(ms(t0));
            });
            vm.currentProperty().addListener((o, was, p) -> {
                if (p == null || !p.key().equals(key)) return;
                sized.complete(ms(t0));
                if (p.proxyMeasured()) proxied.complete(ms(t0));
                if (p.fileBytes() != null) filed.complete(ms(t0));
            });
            vm.edit(next);
            return null;
        });
        double s = sized.get(600, TimeUnit.SECONDS);
        double p = proxied.get(600, TimeUnit.SECONDS);
        double f = filed.get(600, TimeUnit.SECONDS);
        return new Step(knob, s, built.getNow(Double.NaN), p, f);
    }

    private static TradeOffPoint current(CompressViewModel vm) {
        return vm.currentProperty().get();
    }

    private static double pct(List<Step> steps, boolean size, int p) {
        double[] v = steps.stream().mapToDouble(s -> size ? s.sizeMs() : s.proxyMs()).sorted().toArray();
        if (v.length == 0) return Double.NaN;
        int i = (int) Math.ceil(p / 100.0 * v.length) - 1;
        return v[Math.max(0, Math.min(v.length - 1, i))];
    }

    private static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    private interface FxCall<T> {
        T call() throws Exception;
    }

    private static <T> T onFx(FxCall<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(60, TimeUnit.SECONDS);
    }

    private static void waitUntil(java.util.function.BooleanSupplier ok, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!onFx(ok::getAsBoolean)) {
            if (System.nanoTime() > end) throw new IllegalStateException("timed out");
            Thread.sleep(5);
        }
    }
}
