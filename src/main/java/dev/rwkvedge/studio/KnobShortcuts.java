package dev.rwkvedge.studio;

import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.RankRule;
import dev.rwkvedge.compress.embedding.EmbeddingCacheSettings;
import java.util.function.UnaryOperator;

/**
 * The main compression knobs as recipe edits, for keyboard shortcuts during a talk: each takes the recipe in the
 * knobs and returns the one to load. Kept to what the Compress view's public API (recipe, load) can express.
 */
final class KnobShortcuts {
    /** The rank ratios the up and down keys step through (the paper's D/8 is 0.125). */
    static final double[] RATIOS = {0.0625, 0.125, 0.1875, 0.25, 0.375, 0.5, 0.75};
    static final int EMBEDDING_CACHE_ROWS = 128;

    private KnobShortcuts() {}

    static final UnaryOperator<Recipe> TOGGLE_LOW_RANK = r -> with(r, r.lowRank() == null
            ? Recipe.paperLowRank().lowRank() : null, r.embedding(), r.int8());

    static final UnaryOperator<Recipe> TOGGLE_INT8 = r -> with(r, r.lowRank(), r.embedding(),
            r.int8() != null && r.int8().on() ? null : new Recipe.Int8(null, null));

    static final UnaryOperator<Recipe> TOGGLE_EMBEDDING_CACHE = r -> with(r, r.lowRank(),
            r.embedding() == null ? new EmbeddingCacheSettings(EMBEDDING_CACHE_ROWS) : null, r.int8());

    static final UnaryOperator<Recipe> RANK_UP = r -> stepRatio(r, +1);
    static final UnaryOperator<Recipe> RANK_DOWN = r -> stepRatio(r, -1);

    /** The next ratio on the ladder above or below the current one; low rank turns on at D/8 if it was off. */
    static Recipe stepRatio(Recipe r, int direction) {
        Recipe.LowRank lr = r.lowRank();
        if (lr == null || lr.rule() == null || lr.rule().ratio() == null) {
            return lr == null ? TOGGLE_LOW_RANK.apply(r) : r;
        }
        double now = lr.rule().ratio();
        double next = now;
        if (direction > 0) {
            for (double q : RATIOS) if (q > now + 1e-9) { next = q; break; }
        } else {
            for (int i = RATIOS.length - 1; i >= 0; i--) if (RATIOS[i] < now - 1e-9) { next = RATIOS[i]; break; }
        }
        Recipe.LowRank stepped = new Recipe.LowRank(lr.method(), lr.matrices(),
                RankRule.ratio(next), lr.overrides(), lr.ridge());
        return with(r, stepped, r.embedding(), r.int8());
    }

    private static Recipe with(Recipe r, Recipe.LowRank lowRank, EmbeddingCacheSettings embedding, Recipe.Int8 int8) {
        return new Recipe(r.generation(), lowRank, r.sparseFfn(), r.head(), embedding, int8, r.calibration());
    }
}
