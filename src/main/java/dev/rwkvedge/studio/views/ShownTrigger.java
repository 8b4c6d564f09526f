package dev.rwkvedge.studio.views;

import javafx.scene.Node;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.util.Subscription;

/**
 * Tells a view when its tab is the selected one, so that a heavy analysis starts when someone looks at it rather
 * than for every model opened while another tab is in front. The tab is found once the tab pane's skin has put the
 * view into the scene. Callbacks run synchronously, so a job started from them is submitted in the same FX event as
 * the change that caused it (the screenshot mode waits for jobs and must never see a gap before one starts).
 */
public final class ShownTrigger {
    private final Node node;
    private final Runnable onShown;
    private Tab tab;
    private Subscription selection = Subscription.EMPTY;

    public ShownTrigger(Node node, Runnable onShown) {
        this.node = node;
        this.onShown = onShown;
        node.sceneProperty().subscribe(s -> findTab());
    }

    private void findTab() {
        selection.unsubscribe();
        tab = null;
        for (Node n = node.getParent(); n != null; n = n.getParent()) {
            if (n instanceof TabPane pane) {
                tab = pane.getTabs().stream().filter(t -> t.getContent() == node).findFirst().orElse(null);
                break;
            }
        }
        if (tab != null) selection = tab.selectedProperty().subscribe((was, now) -> request());
    }

    /** In the selected tab (or, outside a tab pane, in a scene at all). */
    public boolean isShown() {
        if (node.getScene() == null) return false;
        return tab == null || tab.isSelected();
    }

    /** Runs the action now if the view is shown; otherwise it runs when the view's tab is next selected. */
    public void request() {
        if (isShown()) onShown.run();
    }
}
