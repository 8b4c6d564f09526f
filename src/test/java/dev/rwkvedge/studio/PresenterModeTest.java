package dev.rwkvedge.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.chart.Axis;
import javafx.scene.control.Labeled;
import javafx.scene.input.KeyCode;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Presenter mode on a projector: larger text and chart labels, and nothing in the Compress header cut short. */
@ExtendWith(ApplicationExtension.class)
class PresenterModeTest {
    @TempDir
    static Path config;

    private StudioWindow window;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        window = StudioFixture.open(stage, Reference.file(SafeExportTest.V7), "compress", config);
    }

    @AfterEach
    void dispose(FxRobot robot) {
        robot.interact(window::dispose);
    }

    /**
     * Lays the window's content out exactly as on a projector of this size. The headless test screen is 1000x1000
     * and cannot hold a larger window, so the window is {@code width/height} scaled to fit 960 pixels and the zoom
     * shrinks the picture by the same factor: the layout, where text is elided or not, is the projector's.
     */
    private void projector(FxRobot robot, double width, double height) {
        double presenterScale = Math.max(1, Math.min(width / 1024, height / 768));
        double shown = 960 / width;
        robot.interact(() -> {
            stage.setWidth(960);
            stage.setHeight(Math.round(height * shown));
        });
        WaitForAsyncUtils.waitForFxEvents();
        // the presenter scale the projector would get, undone down to the 960-pixel window
        double sceneHeight = window.scene().getHeight();
        robot.interact(() -> window.presentation().zoomProperty().set(
                shown * presenterScale / Math.max(1, Math.min(960 / 1024.0, sceneHeight / 768))));
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** The size the content is laid out at, in its own (unscaled) pixels. */
    private double[] layoutSize(FxRobot robot) {
        Node content = robot.lookup("#studio-root").query();
        return new double[] {content.getLayoutBounds().getWidth(), content.getLayoutBounds().getHeight()};
    }

    /** Every piece of text in the header as drawn, beside what it should say; elided text differs ("Ev..."). */
    private List<String> elided(FxRobot robot) {
        return elided(robot, "#compress-header");
    }

    /** The same for every label under the node the selector finds. */
    private List<String> elided(FxRobot robot, String selector) {
        Node header = robot.lookup(selector).query();
        List<String> cut = new ArrayList<>();
        for (Node n : header.lookupAll("*")) {
            if (!(n instanceof Labeled l) || !shown(l) || l.getText() == null || l.getText().isEmpty()) continue;
            // a pane's title is not its first text, and a list shown in a combo box may be cut short by design
            if (n instanceof javafx.scene.control.TitledPane || inside(n, javafx.scene.control.ComboBoxBase.class)
                    || inside(n, org.controlsfx.control.CheckComboBox.class)) {
                continue;
            }
            Text drawn = (Text) l.lookup(".text");
            if (drawn == null || !drawn.getText().equals(l.getText())) {
                cut.add(l.getText() + " -> " + (drawn == null ? "(not drawn)" : drawn.getText()));
            }
        }
        return cut;
    }

    private static boolean inside(Node n, Class<?> kind) {
        for (Node p = n.getParent(); p != null; p = p.getParent()) if (kind.isInstance(p)) return true;
        return false;
    }

    private static boolean shown(Node n) {
        for (Node p = n; p != null; p = p.getParent()) if (!p.isVisible()) return false;
        return true;
    }

    private void assertHeaderWhole(FxRobot robot, String size) {
        List<String> cut = elided(robot);
        assertTrue(cut.isEmpty(), "elided at " + size + ": " + cut);
        Node header = robot.lookup("#compress-header").query();
        Bounds b = header.localToScene(header.getLayoutBounds());
        assertTrue(b.getMaxX() <= window.scene().getWidth() + 0.5, "the header ends inside the window at " + size
                + ": " + b.getMaxX() + " > " + window.scene().getWidth());
        assertTrue(elided(robot).isEmpty());
    }

    @Test
    void everyKnobsLabelIsWholeAt1024x768(FxRobot robot) {
        SafeExportTest.await("the model to open", 120, () -> window.session().model() != null);
        robot.push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.P);
        WaitForAsyncUtils.waitForFxEvents();
        projector(robot, 1024, 768);
        // a section switched off still shows its knobs (disabled); a collapsed pane's are not drawn and not checked
        List<String> cut = elided(robot, ".recipe-form");
        assertTrue(cut.isEmpty(), "knob labels elided at 1024x768: " + cut);
    }

    @Test
    void theCompressHeaderIsWholeFrom1024x768To1920x1080AndLabelsAreLarger(FxRobot robot) {
        SafeExportTest.await("the model to open", 120, () -> window.session().model() != null);
        Axis<?> axis = robot.lookup(".axis").queryAs(Axis.class);
        double normalTickFont = axis.getTickLabelFont().getSize();

        robot.push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.P);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(window.presentation().presenterProperty().get(), "Shortcut+Shift+P turns presenter mode on");
        assertTrue(axis.getTickLabelFont().getSize() > normalTickFont, "chart labels grow: "
                + axis.getTickLabelFont().getSize() + " vs " + normalTickFont);

        projector(robot, 1024, 768);
        double[] at1024 = layoutSize(robot);
        assertEquals(1024, at1024[0], 1.5, "laid out as at 1024 wide");
        assertHeaderWhole(robot, "1024x768");

        projector(robot, 1920, 1080);
        double[] at1920 = layoutSize(robot);
        // presenter mode keeps 1024x768's proportions: a 1920x1080 projector shows everything 1.41x larger
        assertEquals(1920 / (1080 / 768.0), at1920[0], 2.0);
        assertHeaderWhole(robot, "1920x1080");

        robot.interact(() -> window.presentation().actualSize());
        robot.push(KeyCode.CONTROL, KeyCode.EQUALS);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1.1, window.presentation().zoomProperty().get(), 1e-9, "Ctrl+plus zooms in");
        robot.push(KeyCode.CONTROL, KeyCode.MINUS);
        robot.push(KeyCode.CONTROL, KeyCode.MINUS);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1 / 1.1, window.presentation().zoomProperty().get(), 1e-9, "Ctrl+minus zooms out");

        robot.push(KeyCode.CONTROL, KeyCode.DIGIT5);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("generation", window.views().get(4).id());
        assertTrue(window.views().get(4).root().isVisible(), "Ctrl+5 shows the fifth tab");
        robot.push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.P);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(window.presentation().presenterProperty().get());
    }
}
