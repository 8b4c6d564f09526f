package dev.rwkvedge.studio.ui;

import javafx.scene.Node;
import javafx.stage.Window;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

/**
 * A short note in the corner of the window when background work the user is not watching has finished (ControlsFX
 * notifications): the default compressed model is ready, an export was verified.
 */
public final class Notices {
    private static final Duration SHOWN = Duration.seconds(6);

    private Notices() {}

    /** Shows the note over the window of {@code owner}; nothing when that window is not showing. */
    public static void show(Node owner, String title, String text) {
        Window w = owner.getScene() == null ? null : owner.getScene().getWindow();
        if (w == null || !w.isShowing()) return;
        Notifications.create().owner(w).title(title).text(text).hideAfter(SHOWN).showInformation();
    }
}
