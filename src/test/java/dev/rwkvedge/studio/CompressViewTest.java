package dev.rwkvedge.studio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import dev.rwkvedge.analysis.AnalysisCache;
import dev.rwkvedge.studio.views.compress.model.SessionStore;
import dev.rwkvedge.compress.Compressor;
import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.SizeReport;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.runtime.Generator;
import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.runtime.RwkvState;
import dev.rwkvedge.runtime.sampling.SamplerSettings;
import dev.rwkvedge.studio.session.CompressedModel;
import dev.rwkvedge.studio.ui.Formats;
import dev.rwkvedge.studio.views.compress.CompressData;
import dev.rwkvedge.studio.views.compress.CompressView;
import dev.rwkvedge.studio.views.compress.TradeOffPoint;
import dev.rwkvedge.studio.views.compress.export.ExportSummary;
import dev.rwkvedge.studio.views.generation.GenerationView;
import dev.rwkvedge.task.ProgressListener;
import dev.rwkvedge.tokenizer.ByteTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class CompressViewTest {
    /** Byte-level RWKV-7 (256 tokens, 12 layers of 64): no vocabulary file, and SVDs of 64 x 64 are instant. */
    static final String MODEL = "rwkv.cpp/tests/tiny-rwkv-7v0-834K-FP32.bin";
    static final String TEXT = """
            In the beginning the small model read a great deal of text, one byte at a time, and learned which letter
            tends to follow which. The compressed copy keeps fewer numbers: each projection becomes two thin matrices
            whose product is close to the original, so the copy runs in less memory and nearly agrees with it.
            """.repeat(4);

    @TempDir
    static Path config;
    @TempDir
    Path work;

    private StudioWindow window;
    private Path model;

    @Start
    void start(Stage stage) {
        model = Reference.file(MODEL);
        window = StudioFixture.open(stage, model, "compress", config);
    }

    @BeforeEach
    void useTestText(FxRobot robot) throws Exception {
        StudioFixture.waitForModel(window);
        Path text = Files.writeString(work.resolve("text.txt"), TEXT);
        // no last-word items here: the task score says its data is absent, and the quick proxy does the rest
        CompressData data = new CompressData(text, text, work.resolve("absent-lastword.jsonl"), 1024, 256, 10);
        // each test its own session folder (a new data set starts over on the model, reading the session again)
        robot.interact(() -> {
            view().model().setSessionStore(new SessionStore(new AnalysisCache(work.resolve("cache"))));
            view().dataProperty().set(data);
        });
        awaitCurrent();
    }

    @AfterEach
    void dispose(FxRobot robot) {
        robot.interact(window::dispose);
    }

    private CompressView view() {
        return window.view(CompressView.class);
    }

    /**
     * The chart's node for a point, read on the FX thread: a later measurement redraws the chart (clearing and
     * refilling its nodes), and a read from the test thread in the middle of that saw no node.
     */
    private javafx.scene.Node drawn(String key) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> view().chart().pointNode(key)).get(30, TimeUnit.SECONDS);
    }

    /** Waits until the recipe in the knobs has been built and its proxy measured. */
    private TradeOffPoint awaitCurrent() throws Exception {
        // a generous limit: four jobs in a row (build, proxy, file, and on a shared machine) - not a timing test
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> {
            TradeOffPoint p = view().currentProperty().get();
            return p != null && p.recipe().equals(view().recipe()) && p.proxyMeasured() && p.fileBytes() != null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        return view().currentProperty().get();
    }

    private static SizeReport sizeOf(Path model, Recipe recipe) throws Exception {
        try (LoadedModel m = LoadedModel.open(model)) {
            return Compressor.apply(m, recipe, null, ProgressListener.NONE).size();
        }
    }

    private void moveRatio(FxRobot robot, double value) {
        robot.interact(() -> robot.lookup("#ratio").queryAs(Slider.class).setValue(value));
    }

    @Test
    void movingTheRankKnobUpdatesTheSizeAndAddsAPoint(FxRobot robot) throws Exception {
        Label size = robot.lookup("#size-figure").queryAs(Label.class);
        String before = size.getText();
        // the dense model and the first recipe
        assertEquals(2, view().points().size());
        assertEquals(1, view().points().stream().filter(TradeOffPoint::dense).count());

        moveRatio(robot, 0.25);
        TradeOffPoint p = awaitCurrent();

        assertEquals(0.25, p.recipe().lowRank().rule().ratio());
        SizeReport expected = sizeOf(model, view().recipe());
        assertEquals(expected.residentBytes(), p.size().residentBytes());
        assertEquals(Formats.bytes(expected.residentBytes()), size.getText());
        assertEquals(worded(expected.residentBytes(), expected.baselineFp16Bytes(), "fp16") + " · "
                + worded(expected.residentBytes(), expected.baselineFp32Bytes(), "fp32"),
                robot.lookup("#size-detail").queryAs(Label.class).getText());
        assertNotEquals(before, size.getText());
        assertEquals(3, view().points().size());
        assertNotNull(drawn(p.key()), "the new point is drawn");
        assertTrue(p.top1Agreement() > 0 && p.top1Agreement() <= 1);
    }

    private static String worded(long bytes, long baseline, String name) {
        return bytes < baseline ? String.format(Locale.ROOT, "%.2f x smaller than %s", baseline / (double) bytes, name)
                : String.format(Locale.ROOT, "%.2f x larger than %s", bytes / (double) baseline, name);
    }

    @Test
    void undoRestoresThePreviousRecipeAndRedoReturns(FxRobot robot) throws Exception {
        moveRatio(robot, 0.25);
        TradeOffPoint quarter = awaitCurrent();
        moveRatio(robot, 0.5);
        TradeOffPoint half = awaitCurrent();

        robot.clickOn("#recipe-undo");
        TradeOffPoint back = awaitCurrent();
        assertEquals(quarter.recipe(), view().recipe());
        assertEquals(quarter.key(), back.key());
        assertEquals(0.25, robot.lookup("#ratio").queryAs(Slider.class).getValue());
        assertEquals(quarter.recipe().toJson(), robot.lookup("#recipe-json").queryAs(TextArea.class).getText());

        robot.clickOn("#recipe-redo");
        awaitCurrent();
        assertEquals(half.recipe(), view().recipe());
        assertEquals(0.5, robot.lookup("#ratio").queryAs(Slider.class).getValue());
    }

    @Test
    void resetRestoresEveryDefaultAndAnEditedJsonPaneIsTheRecipe(FxRobot robot) throws Exception {
        // through the JSON pane: a head with settings the knobs must all show
        String json = """
                {"lowRank": {"method": "svd", "rule": {"ratio": 0.3}},
                 "head": {"clusters": 16, "coverage": 0.8, "minClusters": 2, "maxClusters": 6, "space": "head"}}""";
        robot.interact(() -> robot.lookup("#recipe-json").queryAs(TextArea.class).setText(json));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> view().recipe().head() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(16, view().recipe().head().clusters());
        assertEquals(6, view().recipe().head().maxClusters());
        assertEquals(6.0, robot.lookup("#cluster-range").queryAs(org.controlsfx.control.RangeSlider.class).getHighValue());
        assertEquals(dev.rwkvedge.compress.head.ClusterSpace.HEAD, view().recipe().head().space());

        robot.clickOn("#recipe-reset");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(null, view().recipe().head());
        // the switched-off section's knobs are back at the defaults, not at the values loaded before
        assertEquals(200, ((Spinner<?>) robot.lookup("#clusters").queryAs(Spinner.class)).getValue());
        assertEquals(100.0, robot.lookup("#cluster-range").queryAs(org.controlsfx.control.RangeSlider.class).getHighValue());
        assertEquals(0.125, view().recipe().lowRank().rule().ratio());
        // switching the head on now gives the paper's head, nothing left over from the loaded recipe
        robot.interact(() -> robot.lookup("#clustered-head").queryAs(javafx.scene.control.CheckBox.class).setSelected(true));
        assertEquals(dev.rwkvedge.compress.head.ClusteredHeadSettings.paper(), view().recipe().head());
    }

    @Test
    void aPinnedPairShowsItsRecipeDiff(FxRobot robot) throws Exception {
        TradeOffPoint first = view().currentProperty().get();
        robot.clickOn("#pin-current");
        moveRatio(robot, 0.5);
        robot.interact(() -> robot.lookup("#int8").queryAs(javafx.scene.control.CheckBox.class).setSelected(true));
        TradeOffPoint second = awaitCurrent();
        robot.clickOn("#pin-current");
        WaitForAsyncUtils.waitForFxEvents();

        assertEquals(List.of(first.key(), second.key()), view().model().pinned().stream().map(TradeOffPoint::key).toList());
        String diff = robot.lookup("#pinned-diff").queryAs(Label.class).getText();
        assertEquals("""
                Recipe A -> B:
                int8.enabled: off -> true
                int8.scheme: off -> row
                lowRank.rule.ratio: 0.125 -> 0.5""", diff);
        String summary = robot.lookup("#pinned-summary").queryAs(Label.class).getText();
        assertTrue(summary.contains("resident " + Formats.bytes(first.size().residentBytes())), summary);
        assertTrue(summary.contains("resident " + Formats.bytes(second.size().residentBytes())), summary);
        assertTrue(summary.contains("file " + Formats.bytes(second.fileBytes())), summary);
    }

    @Test
    void aSessionsPointsComeBackWhenTheModelIsReopened(FxRobot robot) throws Exception {
        moveRatio(robot, 0.3);
        TradeOffPoint tried = awaitCurrent();
        view().model().flushSession();
        Path stored = work.resolve("cache").resolve(view().model().modelHash()).resolve("compress-session.json");
        assertTrue(Files.isRegularFile(stored), stored.toString());

        // a copy of the model under another name has the same content hash: its session is this one
        Path copy = Files.copy(model, work.resolve("renamed.bin"));
        robot.interact(() -> window.open(copy));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> window.session().model() != null
                && window.session().model().path().equals(copy)
                && view().points().stream().anyMatch(p -> p.key().equals(tried.key())));
        WaitForAsyncUtils.waitForFxEvents();
        TradeOffPoint back = view().points().stream().filter(p -> p.key().equals(tried.key())).findFirst().orElseThrow();
        assertEquals(tried.recipe(), back.recipe());
        assertEquals(tried.size().residentBytes(), back.size().residentBytes());
        assertEquals(tried.fileBytes(), back.fileBytes());
        assertEquals(tried.top1Agreement(), back.top1Agreement());
        assertEquals(tried.meanKl(), back.meanKl());
        assertTrue(view().model().sessionStatusProperty().get().contains("earlier session"),
                view().model().sessionStatusProperty().get());
        assertNotNull(drawn(tried.key()), "the restored point is drawn");
    }

    @Test
    void clickingAPointRestoresItsRecipe(FxRobot robot) throws Exception {
        TradeOffPoint first = view().currentProperty().get();
        moveRatio(robot, 0.5);
        TradeOffPoint second = awaitCurrent();
        assertNotEquals(first.key(), second.key());

        robot.clickOn(drawn(first.key()));
        TradeOffPoint restored = awaitCurrent();

        assertEquals(first.recipe(), view().recipe());
        assertEquals(first.key(), restored.key());
        assertEquals(first.recipe().lowRank().rule().ratio(), robot.lookup("#ratio").queryAs(Slider.class).getValue());
        assertTrue(robot.lookup("#low-rank").queryAs(javafx.scene.control.CheckBox.class).isSelected());
        assertEquals(3, view().points().size(), "revisiting adds no point (dense and two recipes)");
    }

    @Test
    void aSweepAddsAPointPerRecipeAndItsBarMovesWithinEachRecipe(FxRobot robot) throws Exception {
        int before = view().points().size();
        java.util.List<Double> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
        javafx.concurrent.Task<Integer> t = WaitForAsyncUtils.asyncFx(() -> {
            javafx.concurrent.Task<Integer> task = view().sweep();
            task.progressProperty().subscribe(v -> progress.add(v.doubleValue()));
            task.messageProperty().subscribe((String m) -> messages.add(m));
            return task;
        }).get(30, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> t.isDone());
        WaitForAsyncUtils.waitForFxEvents();
        int swept = t.get();
        // the ratio ladder (seven values) less the one already in the knobs
        assertEquals(6, swept);
        assertEquals(before + swept, view().points().size());
        java.util.List<Double> known = progress.stream().filter(v -> v >= 0).toList();
        for (int i = 1; i < known.size(); i++) assertTrue(known.get(i) >= known.get(i - 1), "the bar went back");
        // the bar's messages name the recipe and its stage, not only the recipe count
        assertTrue(messages.stream().anyMatch(m -> m.matches("Sweep \\d of 6, .*: (compressing|measuring agreement "
                + "with dense|writing the file to measure it|.*window.*)")), String.valueOf(messages));
    }

    @SuppressWarnings("unchecked")
    private static <T> void set(FxRobot robot, String id, T value) {
        robot.interact(() -> ((Spinner<T>) robot.lookup("#" + id).queryAs(Spinner.class)).getValueFactory().setValue(value));
    }

    @Test
    void thePreviewGeneratesWithTheCompressedModel(FxRobot robot) throws Exception {
        moveRatio(robot, 0.2);
        awaitCurrent();
        Recipe recipe = view().recipe();
        robot.interact(() -> window.select("generation"));
        GenerationView g = window.view(GenerationView.class);
        String prompt = "The small ";
        robot.interact(() -> g.prompt().setText(prompt));
        set(robot, "temperature", 0.0);
        set(robot, "presence", 0.0);
        set(robot, "frequency", 0.0);
        set(robot, "max-tokens", 40);
        robot.clickOn("#generate");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> g.runningProperty().get() == null);
        WaitForAsyncUtils.waitForFxEvents();

        String expected;
        try (LoadedModel m = LoadedModel.open(model)) {
            Compressor.apply(m, recipe, null, ProgressListener.NONE);
            expected = new Generator(m.model(), new ByteTokenizer())
                    .generate(prompt, 40, SamplerSettings.greedy(), List.of(), s -> {}, () -> false).text();
        }
        String shown = robot.lookup("#compressed-output").queryAs(TextArea.class).getText();
        assertFalse(shown.isEmpty());
        assertEquals(expected, shown);
        assertFalse(robot.lookup("#dense-output").queryAs(TextArea.class).getText().isEmpty());
        assertTrue(robot.lookup("#compressed-stats").queryAs(Label.class).getText().contains("tokens/s"));
        assertTrue(robot.lookup("#compressed-memory").queryAs(Label.class).getText()
                .startsWith(Formats.bytes(view().currentProperty().get().size().residentBytes())));
    }

    @Test
    void exportWritesAFileThatReopensWithIdenticalLogits(FxRobot robot) throws Exception {
        robot.interact(() -> robot.lookup("#int8").queryAs(javafx.scene.control.CheckBox.class).setSelected(true));
        awaitCurrent();
        Path out = work.resolve("out");
        robot.clickOn("#export");
        robot.interact(() -> {
            view().exportPanel().folder().setText(out.toString());
            robot.lookup("#export-name").queryAs(javafx.scene.control.TextField.class).setText("tiny");
            robot.lookup("#export-dense-safetensors").queryAs(javafx.scene.control.CheckBox.class).setSelected(true);
        });
        robot.clickOn("#export-run");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> view().exportPanel().summaryProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();

        ExportSummary summary = view().exportPanel().summaryProperty().get();
        assertTrue(summary.allVerified(), summary.text());
        String text = robot.lookup("#export-summary").queryAs(TextArea.class).getText();
        assertTrue(text.contains("verified: reopened; logits identical"), text);
        Path file = out.resolve("tiny-compressed.safetensors");
        assertEquals(List.of(file, out.resolve("tiny-dense.safetensors")),
                summary.files().stream().map(ExportSummary.Written::path).toList());
        assertEquals(0, summary.files().getFirst().maxLogitDifference());

        CompressedModel inMemory = window.session().compressed();
        int[] probe = {10, 84, 104, 101, 32, 115, 109, 97, 108, 108};
        float[][] expected = inMemory.withEngine(() -> logits(inMemory.loaded().model(), probe));
        try (LoadedModel reopened = LoadedModel.open(file)) {
            float[][] actual = logits(reopened.model(), probe);
            for (int i = 0; i < probe.length; i++) assertArrayEquals(expected[i], actual[i], "token " + i);
        }
    }

    private static float[][] logits(RwkvModel m, int[] tokens) {
        RwkvState st = m.newState();
        float[][] out = new float[tokens.length][];
        for (int i = 0; i < tokens.length; i++) out[i] = m.forward(tokens[i], st).clone();
        return out;
    }
}
