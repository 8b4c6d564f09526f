package dev.rwkvedge.studio;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.model.SampleModel;
import dev.rwkvedge.studio.ui.SettingsStore;
import java.nio.file.Path;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Without a model argument and without the sample model, the studio explains itself and offers Open. */
@ExtendWith(ApplicationExtension.class)
class WelcomeScreenTest {
    @TempDir
    static Path config;

    private StudioWindow window;

    @Start
    void start(Stage stage) {
        // point the sample folder at an empty one, so the bundled model is not found
        System.setProperty("rwkv.sample.dir", config.resolve("no-sample").toString());
        assertTrue(SampleModel.locate().isEmpty());
        window = new StudioWindow(stage, StudioOptions.of(null), new SettingsStore(config));
    }

    @AfterEach
    void dispose(FxRobot robot) {
        System.clearProperty("rwkv.sample.dir");
        if (window != null) robot.interact(window::dispose);
    }

    @Test
    void noSampleModelShowsTheWelcomeScreenWithOpen(FxRobot robot) {
        WaitForAsyncUtils.waitForFxEvents();
        assertNull(window.session().model());
        String message = robot.lookup("#welcome-message").queryAs(Label.class).getText();
        assertTrue(message.contains("No sample model"), message);
        assertTrue(robot.lookup("#welcome-open").queryAs(Node.class).isVisible());
        assertTrue(!robot.lookup("#views").queryAs(Node.class).isVisible());
    }
}
