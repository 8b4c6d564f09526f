package dev.rwkvedge.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.runtime.Generator;
import dev.rwkvedge.runtime.sampling.SamplerSettings;
import dev.rwkvedge.studio.views.generation.GenerationView;
import dev.rwkvedge.tokenizer.ByteTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
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
class GenerationViewTest {
    /** Byte-level (256 tokens), so it needs no vocabulary file. */
    static final String MODEL = "rwkv.cpp/tests/tiny-rwkv-5v2-730K-FP32.bin";

    @TempDir
    static Path config;

    private StudioWindow window;
    private Path model;

    @Start
    void start(Stage stage) {
        model = Reference.file(MODEL);
        window = StudioFixture.open(stage, model, "generation", config);
    }

    @BeforeEach
    void waitForModel() throws Exception {
        StudioFixture.waitForModel(window);
    }

    @AfterEach
    void dispose(FxRobot robot) {
        robot.interact(window::dispose);
    }

    private GenerationView view() {
        return window.view(GenerationView.class);
    }

    @SuppressWarnings("unchecked")
    private static <T> void set(FxRobot robot, String id, T value) {
        robot.interact(() -> ((Spinner<T>) robot.lookup("#" + id).queryAs(Spinner.class)).getValueFactory().setValue(value));
    }

    @Test
    void greedyGenerationStreamsTheTextTheGeneratorProduces(FxRobot robot) throws Exception {
        String prompt = "The quick ";
        // other views' background work on the same model (analysis holds the engine) must not eat the wait below
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> window.jobs().running().isEmpty());
        robot.interact(() -> view().prompt().setText(prompt));
        set(robot, "temperature", 0.0);
        set(robot, "presence", 0.0);
        set(robot, "frequency", 0.0);
        set(robot, "max-tokens", 60);
        robot.clickOn("#generate");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> view().runningProperty().get() == null);
        WaitForAsyncUtils.waitForFxEvents();

        String expected;
        try (LoadedModel m = LoadedModel.open(model)) {
            expected = new Generator(m.model(), new ByteTokenizer())
                    .generate(prompt, 60, SamplerSettings.greedy(), List.of(), s -> {}, () -> false).text();
        }
        String shown = robot.lookup("#dense-output").queryAs(TextArea.class).getText();
        assertFalse(shown.isEmpty());
        assertEquals(expected, shown);
        assertTrue(robot.lookup("#dense-stats").queryAs(Label.class).getText().contains("tokens/s"));
    }

    @Test
    void stopCancelsALongGeneration(FxRobot robot) throws Exception {
        // the default compressed model is built when the model opens; the checks below want no other job running
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> window.jobs().running().isEmpty());
        set(robot, "max-tokens", 100_000);
        robot.clickOn("#generate");
        TextArea out = robot.lookup("#dense-output").queryAs(TextArea.class);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> out.getLength() > 20);
        robot.clickOn("#stop");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> view().runningProperty().get() == null);
        assertEquals("Stopped", robot.lookup("#dense-stats").queryAs(Label.class).getText());
        // the engine saw the cancel: the job ended long before 100,000 tokens and frees the model for the next one
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.jobs().running().isEmpty());
        Thread.sleep(200);
        WaitForAsyncUtils.waitForFxEvents();
        int length = out.getLength();
        assertTrue(length < 100_000, "length " + length);
        Thread.sleep(300);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(length, out.getLength(), "text kept arriving after Stop");
        assertNull(window.jobs().current().get());
    }
}
