package dev.rwkvedge.studio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import dev.rwkvedge.io.Generation;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.studio.views.compress.CompressData;
import dev.rwkvedge.studio.views.compress.CompressView;
import dev.rwkvedge.studio.views.compress.export.ExportPanel;
import dev.rwkvedge.studio.views.compress.export.ExportSummary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
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

/** Export writes what the open model is called, where the user wants it, and never replaces a file unasked. */
@ExtendWith(ApplicationExtension.class)
class SafeExportTest {
    static final String V7 = "rwkv.cpp/tests/tiny-rwkv-7v0-834K-FP32.bin";
    static final String V5 = "rwkv.cpp/tests/tiny-rwkv-5v2-730K-FP32.bin";

    @TempDir
    static Path config;
    @TempDir
    Path work;

    private StudioWindow window;

    @Start
    void start(Stage stage) {
        window = StudioFixture.open(stage, Reference.file(V7), "compress", config);
    }

    @BeforeEach
    void smallData(FxRobot robot) throws Exception {
        await("the model to open", 120, () -> window.session().model() != null);
        Path text = Files.writeString(work.resolve("text.txt"), CompressViewTest.TEXT);
        CompressData data = new CompressData(text, text, work.resolve("absent-lastword.jsonl"), 1024, 128, 10);
        robot.interact(() -> view().dataProperty().set(data));
        awaitCompressed(Reference.file(V7));
    }

    @AfterEach
    void dispose(FxRobot robot) {
        robot.interact(window::dispose);
    }

    private CompressView view() {
        return window.view(CompressView.class);
    }

    private ExportPanel panel() {
        return view().exportPanel();
    }

    /** Waits (generously: the machine running the suite may be busy) and says what it waited for. */
    static void await(String what, int seconds, java.util.concurrent.Callable<Boolean> condition) {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("waited " + seconds + " s for " + what);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void awaitCompressed(Path source) {
        await("the compress view to build a model of " + source.getFileName(), 180, () ->
                window.session().compressed() != null
                && window.session().compressed().loaded().path().toAbsolutePath().equals(source.toAbsolutePath()));
    }

    /** Clicks Export in the panel and waits for a new summary. */
    private ExportSummary export(FxRobot robot) throws Exception {
        ExportSummary before = panel().summaryProperty().get();
        robot.clickOn("#export-run");
        await("the export to finish", 120, () -> panel().summaryProperty().get() != before
                && panel().runningProperty().get() == null);
        return panel().summaryProperty().get();
    }

    @Test
    void exportAfterSwitchingModelsWritesUnderTheNewModelsName(FxRobot robot) throws Exception {
        robot.clickOn("#export");
        assertEquals("tiny-rwkv-7v0-834K-FP32", panel().name().getText());
        Path home = Path.of(System.getProperty("user.home")).toAbsolutePath().normalize();
        assertEquals(home.toString(), panel().folder().getText(), "the user's folder, not the model's");
        assertNotEquals(Reference.file(V7).toAbsolutePath().getParent().toString(), panel().folder().getText());

        Path out = work.resolve("exports");
        robot.interact(() -> panel().folder().setText(out.toString()));
        Path first = out.resolve("tiny-rwkv-7v0-834K-FP32-compressed.safetensors");
        assertTrue(export(robot).allVerified());
        assertTrue(Files.isRegularFile(first));
        byte[] firstBytes = Files.readAllBytes(first);

        robot.interact(() -> window.open(Reference.file(V5)));
        awaitCompressed(Reference.file(V5));
        assertEquals("tiny-rwkv-5v2-730K-FP32", panel().name().getText(), "the name follows the open model");
        assertEquals(out.toString(), panel().folder().getText(), "the folder the user chose stays");

        ExportSummary s = export(robot);
        Path second = out.resolve("tiny-rwkv-5v2-730K-FP32-compressed.safetensors");
        assertEquals(second, s.files().getFirst().path());
        assertTrue(s.allVerified(), s.text());
        try (LoadedModel m = LoadedModel.open(second)) {
            assertEquals(Generation.V5_2, m.config().generation(), "the file holds the model open now");
        }
        assertArrayEquals(firstBytes, Files.readAllBytes(first), "the first model's file is untouched");
    }

    @Test
    void overwritingAsksFirst(FxRobot robot) throws Exception {
        robot.clickOn("#export");
        Path out = Files.createDirectories(work.resolve("exports"));
        Path file = out.resolve("mine-compressed.safetensors");
        byte[] users = "a file of the user's own".getBytes(StandardCharsets.UTF_8);
        Files.write(file, users);
        robot.interact(() -> {
            panel().folder().setText(out.toString());
            panel().name().setText("mine");
        });

        robot.clickOn("#export-run");
        WaitForAsyncUtils.waitForFxEvents();
        Node dialog = robot.lookup("#export-overwrite").query();
        assertTrue(dialog.isVisible(), "Export asks before replacing");
        robot.clickOn("#export-overwrite-cancel");
        WaitForAsyncUtils.waitForFxEvents();
        assertArrayEquals(users, Files.readAllBytes(file), "Cancel keeps the user's file");
        assertEquals("Not exported: nothing was replaced", panel().status().getText());

        robot.clickOn("#export-run");
        WaitForAsyncUtils.waitForFxEvents();
        ExportSummary before = panel().summaryProperty().get();
        robot.clickOn("#export-overwrite-replace");
        await("the export to finish", 120, () -> panel().summaryProperty().get() != before);
        assertTrue(panel().summaryProperty().get().allVerified());
        try (LoadedModel m = LoadedModel.open(file)) {
            assertEquals(Generation.V7, m.config().generation(), "Replace wrote the model over it");
        }
    }
}
