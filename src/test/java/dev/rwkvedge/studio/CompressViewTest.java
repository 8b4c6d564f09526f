package dev.rwkvedge.studio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
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
        robot.interact(() -> view().dataProperty().set(data));
        awaitCurrent();
    }

    @AfterEach
    void dispose(FxRobot robot) {
        robot.interact(window::dispose);
    }

    private CompressView view() {
        return window.view(CompressView.class);
    }

    /** Waits until the recipe in the knobs has been built and measured. */
    private TradeOffPoint awaitCurrent() throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> {
            TradeOffPoint p = view().currentProperty().get();
            return p != null && p.recipe().equals(view().recipe());
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
        assertEquals(1, view().points().size());

        moveRatio(robot, 0.25);
        TradeOffPoint p = awaitCurrent();

        assertEquals(0.25, p.recipe().lowRank().rule().ratio());
        SizeReport expected = sizeOf(model, view().recipe());
        assertEquals(expected.residentBytes(), p.size().residentBytes());
        assertEquals(Formats.bytes(expected.residentBytes()), size.getText());
        assertEquals(String.format(Locale.ROOT, "%.2fx vs fp16 · %.2fx vs fp32", expected.ratioVsFp16(),
                expected.ratioVsFp32()), robot.lookup("#size-detail").queryAs(Label.class).getText());
        assertNotEquals(before, size.getText());
        assertEquals(2, view().points().size());
        assertNotNull(view().chart().pointNode(p.key()), "the new point is drawn");
        assertTrue(p.top1Agreement() > 0 && p.top1Agreement() <= 1);
    }

    @Test
    void clickingAPointRestoresItsRecipe(FxRobot robot) throws Exception {
        TradeOffPoint first = view().currentProperty().get();
        moveRatio(robot, 0.5);
        TradeOffPoint second = awaitCurrent();
        assertNotEquals(first.key(), second.key());

        robot.clickOn(view().chart().pointNode(first.key()));
        TradeOffPoint restored = awaitCurrent();

        assertEquals(first.recipe(), view().recipe());
        assertEquals(first.key(), restored.key());
        assertEquals(first.recipe().lowRank().rule().ratio(), robot.lookup("#ratio").queryAs(Slider.class).getValue());
        assertTrue(robot.lookup("#low-rank").queryAs(javafx.scene.control.CheckBox.class).isSelected());
        assertEquals(2, view().points().size(), "revisiting adds no point");
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
