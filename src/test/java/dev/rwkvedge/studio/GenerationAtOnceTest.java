package dev.rwkvedge.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import dev.rwkvedge.compress.Calibration;
import dev.rwkvedge.compress.Compressor;
import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.model.SampleModel;
import dev.rwkvedge.runtime.Generator;
import dev.rwkvedge.runtime.sampling.SamplerSettings;
import dev.rwkvedge.studio.session.DefaultCompression;
import dev.rwkvedge.studio.views.compress.CompressView;
import dev.rwkvedge.studio.views.generation.GenerationView;
import dev.rwkvedge.task.ProgressListener;
import dev.rwkvedge.tokenizer.ByteTokenizer;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Generation streams dense and compressed side by side on first use, before anyone opened the Compress tab. */
@ExtendWith(ApplicationExtension.class)
class GenerationAtOnceTest {
    static final String MODEL = "rwkv.cpp/tests/tiny-rwkv-7v0-834K-FP32.bin";
    static final int TOKENS = 48;

    @TempDir
    static Path config;

    private StudioWindow window;

    @Start
    void start(Stage stage) {
        window = StudioFixture.open(stage, Reference.file(MODEL), "generation", config);
    }

    @AfterEach
    void dispose(FxRobot robot) {
        robot.interact(window::dispose);
    }

    @SuppressWarnings("unchecked")
    private static <T> void set(FxRobot robot, String id, T value) {
        robot.interact(() -> ((Spinner<T>) robot.lookup("#" + id).queryAs(Spinner.class)).getValueFactory().setValue(value));
    }

    /** The same recipe applied outside the studio, the same greedy decoding. */
    private static String expected(Recipe recipe, String prompt) throws Exception {
        try (LoadedModel m = LoadedModel.open(Reference.file(MODEL))) {
            if (recipe != null) {
                int[] calibration = Calibration.tokens(SampleModel.dataFolder().resolve("calibration.txt"),
                        new ByteTokenizer(), Calibration.DEFAULT_TOKENS);
                Compressor.apply(m, recipe, calibration, ProgressListener.NONE);
            }
            return new Generator(m.model(), new ByteTokenizer())
                    .generate(prompt, TOKENS, SamplerSettings.greedy(), List.of(), s -> {}, () -> false).text();
        }
    }

    @Test
    void theCompressedPaneStreamsTheShippedRecipeWithoutVisitingCompress(FxRobot robot) throws Exception {
        SafeExportTest.await("the default compressed model", 240, () -> window.session().defaultCompressed() != null);
        GenerationView g = window.view(GenerationView.class);
        assertNull(window.session().compressed(), "the Compress tab built nothing");
        // the dense point is always on the chart; nothing compressed is
        assertTrue(window.view(CompressView.class).points().stream().allMatch(p -> p.dense()));
        assertEquals("Compressed · " + DefaultCompression.RECIPE_FILE, g.compressedTitle());

        String prompt = "In the beginning ";
        robot.interact(() -> g.prompt().setText(prompt));
        set(robot, "temperature", 0.0);
        set(robot, "presence", 0.0);
        set(robot, "frequency", 0.0);
        set(robot, "max-tokens", TOKENS);
        robot.clickOn("#generate");
        SafeExportTest.await("generation to end", 120, () -> g.runningProperty().get() == null);

        String dense = expected(null, prompt);
        String compressed = expected(Recipe.read(DefaultCompression.recipeFile().orElseThrow()), prompt);
        assertEquals(dense, robot.lookup("#dense-output").queryAs(TextArea.class).getText());
        assertEquals(compressed, robot.lookup("#compressed-output").queryAs(TextArea.class).getText());
        assertFalse(compressed.isEmpty());

        // the mark: the compressed text from the first character where it differs from the dense one
        int at = 0;
        while (at < Math.min(dense.length(), compressed.length()) && dense.charAt(at) == compressed.charAt(at)) at++;
        boolean diverged = at < Math.min(dense.length(), compressed.length());
        String mark = diverged ? compressed.substring(at, Math.min(compressed.length(), at + 24)) : "";
        assertEquals(mark.replace("\n", "⏎").replace("\t", "→"), g.compressedDivergence());
        System.out.println("dense:      " + dense.replace("\n", "⏎") + "\ncompressed: " + compressed.replace("\n", "⏎")
                + "\ndiverge at " + (diverged ? at : -1));
    }
}
