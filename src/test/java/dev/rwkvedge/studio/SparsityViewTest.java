package dev.rwkvedge.studio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import dev.rwkvedge.analysis.ActivationProfiler;
import dev.rwkvedge.analysis.GramSelection;
import dev.rwkvedge.analysis.LayerActivity;
import dev.rwkvedge.compress.Calibration;
import dev.rwkvedge.compress.sparse.PredictorKind;
import dev.rwkvedge.compress.sparse.PredictorReport;
import dev.rwkvedge.compress.sparse.SparseChannelMixBuilder;
import dev.rwkvedge.compress.sparse.SparseSettings;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.studio.ui.Formats;
import dev.rwkvedge.studio.views.sparsity.SparsityView;
import dev.rwkvedge.task.ProgressListener;
import dev.rwkvedge.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
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
class SparsityViewTest {
    static final String MODEL = "rwkv.cpp/tests/tiny-rwkv-7v0-834K-FP32.bin";
    static final String TEXT = """
            In the beginning was the word, and the word was with the model. The quick brown fox jumps over the lazy \
            dog while the small recurrent network counts its neurons, one token at a time, and most of them stay \
            silent. Sparse activations are the reason a predictor can skip rows of the key matrix and columns of \
            the value matrix without changing the output much. We measure how often each neuron fires.
            """;

    @TempDir
    static Path config;

    private StudioWindow window;
    private Path model;
    private Path text;

    @Start
    void start(Stage stage) {
        model = Reference.file(MODEL);
        text = config.resolve("calibration-test.txt");
        try {
            Files.writeString(text, TEXT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        window = StudioFixture.open(stage, model, "sparsity", config);
        // before the model opens: the profile that starts with it uses this text and the deterministic 1-bit
        // predictor, which the test can rebuild independently
        view().setCalibration(text);
        view().model().kind().set(PredictorKind.ONE_BIT);
    }

    @BeforeEach
    void waitForModel() throws Exception {
        StudioFixture.waitForModel(window);
    }

    @AfterEach
    void dispose(FxRobot robot) {
        robot.interact(window::dispose);
    }

    private SparsityView view() {
        return window.view(SparsityView.class);
    }

    @Test
    void layerSparsityAndThresholdCurveMatchTheEngine(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
                () -> view().runningProperty().get() == null && view().model().profile().get() != null);
        WaitForAsyncUtils.waitForFxEvents();

        Tokenizer tokenizer = window.session().model().tokenizer().orElseThrow();
        int[] tokens = Calibration.tokens(text, tokenizer, Calibration.DEFAULT_TOKENS);
        List<LayerActivity> expected;
        List<PredictorReport.SweepPoint> sweep;
        try (LoadedModel m = LoadedModel.open(model)) {
            expected = ActivationProfiler.profile(m.model(), tokens, GramSelection.NONE, ProgressListener.NONE).channelMix();
        }
        try (LoadedModel m = LoadedModel.open(model)) {
            sweep = new SparseChannelMixBuilder(m.model())
                    .build(tokens, SparseSettings.defaults(PredictorKind.ONE_BIT), ProgressListener.NONE)
                    .thresholdSweep(1, 0.5);
        }
        double[] sparsity = expected.stream().mapToDouble(LayerActivity::sparsity).toArray();
        assertArrayEquals(sparsity, view().shownSparsity(), 1e-12);
        assertEquals(tokens.length, view().model().profile().get().tokens());

        // the marker starts at the p the predictors were built at, then follows the slider
        assertEquals(0.9, view().thresholdMarker(), 1e-12);
        robot.interact(() -> {
            view().model().layer().set(1);
            robot.lookup("#threshold-slider").queryAs(Slider.class).setValue(0.5);
        });
        assertEquals(0.5, view().thresholdMarker(), 1e-12);
        PredictorReport.SweepPoint shown = view().model().point().get();
        assertNotNull(shown);
        assertEquals(sweep.getFirst().recall(), shown.recall(), 0.0);
        assertEquals(sweep.getFirst().predictedSparsity(), shown.predictedSparsity(), 0.0);
        String readout = robot.lookup("#threshold-readout").queryAs(Label.class).getText();
        assertTrue(readout.contains("recall " + Formats.percent(shown.recall())), readout);
        assertTrue(readout.contains("predicted sparsity " + Formats.percent(shown.predictedSparsity())), readout);
    }

    @Test
    void missingCalibrationTextIsExplained(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> view().runningProperty().get() == null);
        // the default compressed model built when the model opened must be done too: no job may run below
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> window.jobs().running().isEmpty());
        robot.interact(() -> {
            view().setCalibration(config.resolve("no-such-text.txt"));
            view().profile();
        });
        String status = robot.lookup("#sparsity-status").queryAs(Label.class).getText();
        assertTrue(status.startsWith("No calibration text found"), status);
        assertTrue(window.jobs().running().isEmpty());
    }
}
