package dev.rwkvedge.studio.views.spectra;

import java.util.ArrayList;
import java.util.List;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.util.Subscription;

/**
 * Tells a view when its tab is on screen (the node and all its ancestors visible, in a scene), so that a heavy
 * analysis starts when someone looks at it rather than for every model opened in any tab. Ancestors change when the
 * tab pane builds its skin, so the watched chain is rebuilt whenever the scene changes.
 */
public final class ShownTrigger {
    private final Node node;
    private final Runnable onShown;
    private final List<Subscription> watched = new ArrayList<>();

    public ShownTrigger(Node node, Runnable onShown) {
        this.node = node;
        this.onShown = onShown;
        node.sceneProperty().subscribe(s -> rewire());
    }

    private void rewire() {
        watched.forEach(Subscription::unsubscribe);
        watched.clear();
        for (Node n = node; n != null; n = n.getParent()) {
            watched.add(n.visibleProperty().subscribe(v -> check()));
            watched.add(n.parentProperty().subscribe((was, now) -> rewire()));
        }
    }

    private void check() {
        // later, so that every listener of the same change (a model opening shows the tabs) has run first
        Platform.runLater(() -> {
            if (isShown()) onShown.run();
        });
    }

    public boolean isShown() {
        if (node.getScene() == null) return false;
        for (Node n = node; n != null; n = n.getParent()) if (!n.isVisible()) return false;
        return true;
    }

    /** Runs the action now if the node is shown, else when it next is. */
    public void request() {
        check();
    }
}
