package dev.rwkvedge.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atlantafx.base.theme.PrimerDark;
import dev.rwkvedge.Reference;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.model.ModelConfig;
import dev.rwkvedge.studio.ui.ErrorDialogs;
import dev.rwkvedge.studio.ui.SettingsStore;
import dev.rwkvedge.studio.ui.Theme;
import dev.rwkvedge.studio.views.overview.OverviewView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class StudioWindowTest {
    static final String MODEL = "derived/blinkdl/tiny-rwkv-7v0-834K-f32.pth";

    @TempDir
    static Path config;

    private StudioWindow window;
    private Path model;

    @Start
    void start(Stage stage) {
        model = Reference.file(MODEL);
        window = StudioFixture.open(stage, model, null, config);
    }

    @AfterEach
    void dispose(FxRobot robot) {
        robot.interact(() -> {
            window.setTheme(Theme.LIGHT);
            window.dispose();
        });
    }

    private void waitForModel() throws Exception {
        StudioFixture.waitForModel(window);
    }

    @Test
    void overviewShowsTheGivenModelsGenerationAndLayers(FxRobot robot) throws Exception {
        waitForModel();
        ModelConfig expected;
        try (LoadedModel m = LoadedModel.open(model)) {
            expected = m.config();
        }
        assertEquals(expected.generation().toString(), robot.lookup("#generation-value").queryAs(Label.class).getText());
        assertEquals(Integer.toString(expected.layers()), robot.lookup("#layers-value").queryAs(Label.class).getText());
        assertEquals(model.getFileName().toString(), robot.lookup("#file-name").queryAs(Label.class).getText());
        assertEquals(expected.layers(), robot.lookup("#layer-table").queryTableView().getItems().size());
    }

    @Test
    void aCorruptFileShowsWhyAndTheModelStays(FxRobot robot) throws Exception {
        waitForModel();
        byte[] whole = Files.readAllBytes(model);
        Path broken = config.resolve("broken-copy.pth");
        Files.write(broken, Arrays.copyOf(whole, whole.length / 2));

        robot.interact(() -> window.open(broken));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#" + ErrorDialogs.DIALOG_ID).tryQuery().isPresent());
        DialogPane dialog = robot.lookup("#" + ErrorDialogs.DIALOG_ID).queryAs(DialogPane.class);
        assertTrue(dialog.getContentText().contains("broken-copy.pth"), dialog.getContentText());
        assertEquals(model.toAbsolutePath().normalize(), window.session().model().path().toAbsolutePath().normalize());
        assertEquals(model.getFileName().toString(), robot.lookup("#file-name").queryAs(Label.class).getText());
        robot.interact(() -> dialog.getScene().getWindow().hide());
    }

    @Test
    void darkThemeAppliesTheDarkStylesheet(FxRobot robot) throws Exception {
        waitForModel();
        robot.clickOn("View").clickOn("Dark theme");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(new PrimerDark().getUserAgentStylesheet(), Application.getUserAgentStylesheet());
        assertTrue(window.scene().getRoot().getStyleClass().contains("dark"));
        assertEquals(Theme.DARK, new SettingsStore(config).load().theme());
    }

    @Test
    void openedFilesAreRememberedAndTheChartExports(FxRobot robot) throws Exception {
        waitForModel();
        assertEquals(model.toAbsolutePath().normalize().toString(),
                new SettingsStore(config).load().recentFiles().getFirst());

        Path png = config.resolve("components.png");
        robot.interact(() -> {
            try {
                window.view(OverviewView.class).chartExport().writePng(png);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertNotNull(ImageIO.read(png.toFile()));
        String csv = window.view(OverviewView.class).chartExport().csv().text();
        assertTrue(csv.startsWith("component,parameters,bytes"), csv);
        assertTrue(csv.contains("\ntime-mix,"), csv);
    }

    @Test
    void openingAnotherFileWhileOneLoadsEndsOnTheNewest(FxRobot robot) throws Exception {
        waitForModel();
        Path older = Reference.file("rwkv.cpp/tests/tiny-rwkv-4v0-660K-FP32.bin");
        Path newer = Reference.file(GenerationViewTest.MODEL);
        robot.interact(() -> {
            window.open(older);
            window.open(newer);
        });
        // the newer model's default compressed model is built in the background too
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> window.jobs().running().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(newer.toAbsolutePath().normalize(), window.session().model().path());
        assertEquals(newer.getFileName().toString(), robot.lookup("#file-name").queryAs(Label.class).getText());
    }
}
