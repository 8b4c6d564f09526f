package dev.rwkvedge.studio;

import dev.rwkvedge.analysis.AnalysisCache;
import dev.rwkvedge.studio.ui.SettingsStore;
import dev.rwkvedge.studio.views.compress.CompressView;
import dev.rwkvedge.studio.views.compress.model.SessionStore;
import dev.rwkvedge.studio.ui.Theme;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.stage.Stage;
import org.testfx.util.WaitForAsyncUtils;

/** Opens the studio window the way the app does, sized for the 1000x1000 headless screen, with its own settings. */
final class StudioFixture {
    private StudioFixture() {}

    static StudioWindow open(Stage stage, Path model, String view, Path config) {
        StudioWindow w = new StudioWindow(stage, new StudioOptions(model, view, Theme.LIGHT, null, null,
                new int[] {960, 720}), new SettingsStore(config));
        // compress sessions go to the test's folder, never the user's cache (set before the model's open completes)
        w.view(CompressView.class).model().setSessionStore(new SessionStore(new AnalysisCache(config.resolve("cache"))));
        return w;
    }

    static void waitForModel(StudioWindow window) throws TimeoutException {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> window.session().model() != null);
        WaitForAsyncUtils.waitForFxEvents();
    }
}
