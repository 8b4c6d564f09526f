package dev.rwkvedge.studio.views;

import javafx.scene.Node;

/**
 * One tab of the studio. A view binds to the {@link StudioContext}'s session and runs its work through the context's
 * job runner; it keeps no model of its own. To add one, implement this and list its constructor in
 * {@link StudioViews#standard()}.
 */
public interface StudioView {
    /** Stable name for the command line (--view) and tests: "overview", "generation", ... */
    String id();

    /** The tab's label. */
    String title();

    Node root();
}
