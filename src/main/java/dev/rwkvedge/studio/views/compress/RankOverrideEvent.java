package dev.rwkvedge.studio.views.compress;

import javafx.event.Event;
import javafx.event.EventType;

/**
 * A request from another view (Spectra's heat map) to fix one matrix's rank in the recipe. Fired on the requesting
 * node, it bubbles up to the scene, where the Compress view listens: the views stay unaware of each other.
 *
 * @param matrix the full name the recipe's overrides use ("blocks.3.att.key")
 */
public final class RankOverrideEvent extends Event {
    public static final EventType<RankOverrideEvent> SET = new EventType<>(Event.ANY, "RANK_OVERRIDE");

    private final String matrix;
    private final int rank;

    public RankOverrideEvent(String matrix, int rank) {
        super(SET);
        this.matrix = matrix;
        this.rank = rank;
    }

    /** The override name of a block matrix as the spectra list it (layer and projection name). */
    public static String matrixName(int layer, String projection) {
        return "blocks." + layer + "." + projection;
    }

    public String matrix() {
        return matrix;
    }

    public int rank() {
        return rank;
    }
}
