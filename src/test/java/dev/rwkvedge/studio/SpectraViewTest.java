package dev.rwkvedge.studio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import dev.rwkvedge.analysis.AnalysisCache;
import dev.rwkvedge.analysis.AnalyzedMatrix;
import dev.rwkvedge.analysis.ModelSpectra;
import dev.rwkvedge.analysis.SpectrumMetrics;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.studio.views.spectra.HeatMetric;
import dev.rwkvedge.studio.views.spectra.SpectraView;
import dev.rwkvedge.task.ProgressListener;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
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
class SpectraViewTest {
    static final String MODEL = "rwkv.cpp/tests/tiny-rwkv-5v2-730K-FP32.bin";

    @TempDir
    static Path config;
    @TempDir
    Path cache;

    private StudioWindow window;
    private Path model;

    @Start
    void start(Stage stage) {
        model = Reference.file(MODEL);
        window = StudioFixture.open(stage, model, "spectra", config);
        // before the model is open, so the first analysis already uses the test's own cache
        view().setCache(new AnalysisCache(cache));
    }

    @BeforeEach
    void waitForModel() throws Exception {
        StudioFixture.waitForModel(window);
    }

    @AfterEach
    void dispose(FxRobot robot) {
        robot.interact(window::dispose);
    }

    private SpectraView view() {
        return window.view(SpectraView.class);
    }

    private void waitForAnalysis() throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
                () -> view().runningProperty().get() == null && view().model().spectra().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void heatMapChartsAndRankFollowTheAnalysis(FxRobot robot) throws Exception {
        waitForAnalysis();
        ModelSpectra expected;
        try (LoadedModel m = LoadedModel.open(model)) {
            expected = AnalysisCache.uncached(m.checkpoint(), false, 1, ProgressListener.NONE).spectra();
        }
        int layers = (int) expected.matrices().stream().mapToInt(a -> a.spectrum().layer()).distinct().count();
        long names = expected.matrices().stream().map(a -> a.spectrum().name()).distinct().count();
        assertEquals(layers * names, view().heatCells().size());
        assertEquals(expected.matrices().size(), view().heatCells().size());

        // click a cell: that matrix is selected and its singular values are what the analyser gives
        AnalyzedMatrix want = expected.find(1, "att.key").orElseThrow();
        robot.clickOn("#heat-L1-att-key");
        WaitForAsyncUtils.waitForFxEvents();
        AnalyzedMatrix shown = view().model().selected().get();
        assertEquals(want.key(), shown.key());
        float[] s = want.spectrum().values();
        double[] values = new double[s.length];
        for (int i = 0; i < s.length; i++) values[i] = s[i];
        assertArrayEquals(values, view().plottedSingularValues(), 0.0);

        int r95 = want.metrics().rank95();
        assertEquals(r95, view().model().rank().get());
        assertEquals(r95, view().energyMarkerRank(), 0.0);

        int r = Math.max(1, r95 / 2);
        robot.interact(() -> robot.lookup("#rank-slider").queryAs(Slider.class).setValue(r));
        double energy = SpectrumMetrics.energyAt(s, r);
        assertEquals(r, view().model().rank().get());
        assertEquals(r, view().energyMarkerRank(), 0.0);
        assertEquals(r, view().singularValueMarker(), 0.0);
        assertEquals(energy, view().energyMarkerValue(), 1e-12);
        assertEquals(energy, view().model().energyKept().get(), 0.0);
        // another colouring: the cells show the new metric
        robot.interact(() -> view().model().metric().set(HeatMetric.RANK95));
        assertEquals(Integer.toString(r95), robot.lookup("#heat-L1-att-key").queryAs(Label.class).getText());

        String readout = robot.lookup("#rank-readout").queryAs(Label.class).getText();
        assertTrue(readout.contains(String.format(Locale.ROOT, "%.1f%%", 100 * energy)), readout);
        assertTrue(readout.contains("rank " + r + " of " + s.length), readout);
    }

    @Test
    void theStatusBarsCancelStopsTheAnalysisAndTheStudioCarriesOn(FxRobot robot) throws Exception {
        waitForAnalysis();
        // the default compressed model built when the model opened must be done: the last outcome below is Cancel's
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> window.jobs().running().isEmpty());
        ModelSpectra blocks = view().model().spectra().get();
        // with emb and head, which the cached entry lacks: a fresh computation; Cancel lands before it can finish
        robot.interact(() -> {
            view().includeEmbeddings().setSelected(true);
            view().compute();
            robot.lookup("#job-cancel").queryAs(Button.class).fire();
        });
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> window.jobs().running().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertNull(view().runningProperty().get());
        String status = robot.lookup("#spectra-status").queryAs(Label.class).getText();
        assertTrue(status.toLowerCase(Locale.ROOT).contains("cancelled"), status);
        assertTrue(window.jobs().lastOutcome().get().endsWith("cancelled"), window.jobs().lastOutcome().get());
        assertFalse(view().model().spectra().get() != null && view().model().spectra().get().includesEmbeddings());

        // still usable: the same request, not cancelled, completes with emb and head
        robot.interact(() -> view().compute());
        waitForAnalysis();
        ModelSpectra full = view().model().spectra().get();
        assertTrue(full.includesEmbeddings());
        assertNotEquals(blocks.matrices().size(), full.matrices().size());
        assertTrue(full.matrices().stream().anyMatch(a -> a.spectrum().name().equals("emb.weight")));
    }
}
