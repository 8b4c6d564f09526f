package dev.rwkvedge.studio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rwkvedge.compress.Calibration;
import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.budget.BudgetSolver;
import dev.rwkvedge.compress.budget.PartOption;
import dev.rwkvedge.compress.budget.PartOptions;
import dev.rwkvedge.compress.budget.SolvedRecipe;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.model.SampleModel;
import dev.rwkvedge.studio.views.compress.CompressData;
import dev.rwkvedge.studio.views.compress.CompressView;
import dev.rwkvedge.studio.views.compress.CompressViewModel;
import dev.rwkvedge.studio.views.compress.FitToSize;
import dev.rwkvedge.studio.views.compress.TradeOffPoint;
import dev.rwkvedge.task.ProgressListener;
import dev.rwkvedge.tokenizer.WorldTokenizer;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.concurrent.Task;
import javafx.concurrent.Worker;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * "Fit to size" on the sample model: the knobs get exactly the recipe the budget solver returns when called directly
 * for the same budget, settings and calibration tokens; a second target reuses the measured sensitivities; a
 * cancelled fit and an impossible target leave the knobs as they were.
 */
@ExtendWith(ApplicationExtension.class)
class FitToSizeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Few tokens keep the test cheap: the solver measures each part on the tail of these. */
    private static final int CALIBRATION_TOKENS = 256, PROBE_TOKENS = 64;
    /**
     * A small grid of the solver's own settings whose sizes need no probe (whitened low rank, embedding cache, int8):
     * 4 parts to measure, 12 combinations.
     */
    private static final BudgetSolver.Settings SMALL = small(PROBE_TOKENS);

    @TempDir
    static Path config;

    private StudioWindow window;

    static BudgetSolver.Settings small(int probe) {
        List<List<PartOption>> d = PartOptions.defaults();
        return new BudgetSolver.Settings(List.of(row(d, "lowRank", 2), row(d, "embedding", 3),
                row(d, PartOptions.PRECISION, 2)), probe, 2);
    }

    private static List<PartOption> row(List<List<PartOption>> d, String part, int n) {
        return d.stream().filter(l -> l.getFirst().part().equals(part)).findFirst().orElseThrow().subList(0, n);
    }

    @Start
    void start(Stage stage) {
        // the overview: the Compress tab's own first build is not needed to fit
        window = StudioFixture.open(stage, SampleModel.locate().orElseThrow(), "overview", config);
    }

    @AfterEach
    void dispose(FxRobot robot) {
        robot.interact(window::dispose);
    }

    private CompressViewModel vm() {
        return window.view(CompressView.class).model();
    }

    private Task<?> fit(FxRobot robot, String target) {
        AtomicReference<Task<?>> t = new AtomicReference<>();
        robot.interact(() -> {
            robot.lookup("#fit-target").queryAs(TextField.class).setText(target);
            t.set(window.view(CompressView.class).fitToSize());
        });
        assertNotNull(t.get(), "no fit started for " + target + ": " + vm().fit().statusProperty().get());
        return t.get();
    }

    private static long started;

    private static void lap(String what) {
        if (started == 0) started = System.nanoTime();
        System.out.printf(java.util.Locale.ROOT, "FitToSizeTest %-28s %6.1f s%n", what, (System.nanoTime() - started) / 1e9);
    }

    /** A task's properties may only be read on the FX thread. */
    private static <T> T onFx(java.util.concurrent.Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(30, TimeUnit.SECONDS);
    }

    private static Worker.State await(Task<?> t) throws Exception {
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> onFx(t::isDone));
        WaitForAsyncUtils.waitForFxEvents();
        return onFx(t::getState);
    }

    @Test
    void fittingPutsTheSolversRecipeInTheKnobsAndReusesItsMeasurements(FxRobot robot) throws Exception {
        lap("start");
        StudioFixture.waitForModel(window);
        lap("model open");
        // the shipped recipe's background build is not what this test is about: it only competes for the two cores
        robot.interact(() -> window.jobs().running().stream()
                .filter(t -> t.getTitle().startsWith("Compressing with")).toList().forEach(Task::cancel));
        Path sample = SampleModel.locate().orElseThrow();
        Path d = SampleModel.dataFolder();
        CompressData data = new CompressData(d.resolve("calibration.txt"), d.resolve("heldout.txt"),
                d.resolve("lastword.jsonl"), CALIBRATION_TOKENS, 64, 20);
        FitToSize fit = vm().fit();
        robot.interact(() -> {
            vm().dataProperty().set(data);
            fit.settingsProperty().set(SMALL);
            // the task score is not what this test is about (and it would run while the window closes)
            vm().autoScoreProperty().set(false);
        });

        // the independent call: the same tokens from the same text, the solver on its own copies of the model
        int[] calibration = Calibration.tokens(d.resolve("calibration.txt"),
                WorldTokenizer.load(SampleModel.folder().resolve("vocab.txt")), CALIBRATION_TOKENS);
        long fp16;
        BudgetSolver.Sensitivities measured;
        try (LoadedModel dense = LoadedModel.open(sample)) {
            fp16 = BudgetSolver.denseSize(dense).baselineFp16Bytes();
            measured = BudgetSolver.measure(() -> LoadedModel.open(sample), dense, calibration, SMALL, ProgressListener.NONE);
        }
        // 2.9x needs low rank on top of int8 and the embedding cache; 4 MB does without it
        long tight = (long) (fp16 / 2.9), loose = 4_000_000;
        SolvedRecipe direct = BudgetSolver.choose(measured, () -> LoadedModel.open(sample), calibration, tight,
                ProgressListener.NONE);
        SolvedRecipe directLoose = BudgetSolver.choose(measured, () -> LoadedModel.open(sample), calibration, loose,
                ProgressListener.NONE);

        lap("direct measure and choose");
        Recipe before = vm().recipe();
        Task<?> first = fit(robot, "2.9x");
        assertEquals(Worker.State.SUCCEEDED, await(first), fit.statusProperty().get());
        lap("first fit");
        SolvedRecipe studio = fit.solvedProperty().get();
        assertEquals(direct.recipe(), studio.recipe());
        assertEquals(tight, studio.budgetBytes());
        assertEquals(direct.measuredBytes(), studio.measuredBytes());
        assertKnobsHold(direct.recipe());
        // the reasons are the solver's, shown in the panel
        String shown = robot.lookup("#fit-reasons").queryAs(TextArea.class).getText();
        assertEquals(String.join("\n", direct.explanation()), shown);
        assertTrue(robot.lookup("#fit-status").queryAs(Label.class).getText().startsWith("Fitted to 2.9x"));
        long[] counts = vm().bench().artefactCounts();
        Task<?> second = fit(robot, "4 MB");
        assertEquals(Worker.State.SUCCEEDED, await(second), fit.statusProperty().get());
        lap("second fit");
        long[] after = vm().bench().artefactCounts();
        assertArrayEquals(new long[] {counts[0] + 1, counts[1]}, after, "the second fit reuses the sensitivities");
        assertEquals(directLoose.recipe(), fit.solvedProperty().get().recipe());
        assertNotEquals(direct.recipe(), directLoose.recipe());
        assertKnobsHold(directLoose.recipe());
        assertTrue(fit.statusProperty().get().contains("part measurements reused"), fit.statusProperty().get());

        // each fit is one undoable edit: Undo goes back to the first fit's recipe, then to the one before
        robot.interact(() -> vm().undo());
        assertKnobsHold(direct.recipe());
        robot.interact(() -> vm().undo());
        assertEquals(before, vm().recipe());
        robot.interact(() -> vm().redo());
        assertKnobsHold(direct.recipe());

        // the point appears as any recipe's does once the tab is shown; its size, analytic and built, is in budget
        robot.interact(() -> window.select("compress"));
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> onFx(() -> {
            TradeOffPoint p = vm().currentProperty().get();
            return p != null && p.recipe().equals(vm().recipe()) && p.proxyMeasured()
                    && p.fileBytes() != null;
        }));
        lap("built");
        long analytic = vm().bench().analyticSize(vm().recipe()).orElseThrow().residentBytes();
        assertTrue(analytic <= tight, "analytic size " + analytic + " over the budget " + tight);
        assertEquals(analytic, onFx(() -> vm().currentProperty().get().size().residentBytes()));

        // an impossible target: a message naming the smallest size reachable, the knobs unchanged
        Recipe fitted = vm().recipe();
        lap("impossible");
        Task<?> impossible = fit(robot, "2 MB");
        await(impossible);
        assertEquals(fitted, vm().recipe());
        assertTrue(fit.statusProperty().get().startsWith("Cannot fit 2.00 MB"), fit.statusProperty().get());
        assertTrue(fit.statusProperty().get().contains("the smallest holds"), fit.statusProperty().get());

        // another probe length is another measurement: cancelled while measuring, nothing changes or is kept
        robot.interact(() -> fit.settingsProperty().set(small(PROBE_TOKENS / 2)));
        long[] beforeCancel = vm().bench().artefactCounts();
        boolean couldUndo = vm().history().canUndo().get();
        Task<?> cancelled = fit(robot, "2.9x");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> String.valueOf(cancelled.getMessage()))
                .startsWith("measuring"));
        robot.interact(() -> robot.lookup("#fit-cancel").queryButton().fire());
        assertNotEquals(Worker.State.SUCCEEDED, await(cancelled));
        lap("cancelled");
        assertEquals(fitted, vm().recipe());
        assertEquals(couldUndo, vm().history().canUndo().get());
        assertArrayEquals(beforeCancel, vm().bench().artefactCounts(), "a cancelled fit keeps no measurements");
        assertEquals("Fit cancelled: the knobs are as they were.", fit.statusProperty().get());
    }

    /**
     * The knobs write every field out (their spelling of a recipe), so every field the solver's recipe sets must be in
     * the knobs' recipe with its value, and no technique the solver left off may be on.
     */
    private void assertKnobsHold(Recipe expected) throws Exception {
        JsonNode want = JSON.readTree(expected.toJson());
        JsonNode have = JSON.readTree(vm().recipe().toJson());
        assertContains("", want, have);
        for (String technique : List.of("lowRank", "sparseFfn", "head", "embedding", "int8")) {
            assertEquals(want.has(technique), have.has(technique) && !have.get(technique).isNull(),
                    technique + " in " + have);
        }
    }

    private static void assertContains(String path, JsonNode want, JsonNode have) {
        assertNotNull(have, path + " missing");
        if (!want.isObject()) {
            assertEquals(want, have, path);
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            assertContains(path + "." + e.getKey(), e.getValue(), have.get(e.getKey()));
        }
    }
}
