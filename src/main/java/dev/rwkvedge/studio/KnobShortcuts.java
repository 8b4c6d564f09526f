package dev.rwkvedge.studio;

import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.RankRule;
import dev.rwkvedge.compress.embedding.EmbeddingCacheSettings;
import dev.rwkvedge.compress.head.ClusteredHeadSettings;
import dev.rwkvedge.compress.head.Selection;
import dev.rwkvedge.studio.views.compress.RecipeDefaults;
import java.util.function.UnaryOperator;

/**
 * The main compression knobs as recipe edits, for keyboard shortcuts during a talk: each takes the recipe in the
 * knobs and returns the one to load. Kept to what the Compress view's public API (recipe, load) can express. A knob
 * of a technique that is off switches it on at its defaults; every other section (precision included) stays.
 */
final class KnobShortcuts {
    /** The rank ratios the up and down keys step through (the paper's D/8 is 0.125). */
    static final double[] RATIOS = {0.0625, 0.125, 0.1875, 0.25, 0.375, 0.5, 0.75};
    /** The head's cluster counts the cluster keys step through (the paper's is 200). */
    static final int[] CLUSTERS = {50, 100, 200, 400, 800};
    static final int EMBEDDING_CACHE_ROWS = 128;
    /** Steps of the head's coverage and the sparse predictor's threshold, and their ranges. */
    static final double COVERAGE_STEP = 0.05, COVERAGE_MIN = 0.5, COVERAGE_MAX = 0.99;
    static final double THRESHOLD_STEP = 0.05, THRESHOLD_MIN = 0.05, THRESHOLD_MAX = 0.95;

    private KnobShortcuts() {}

    static final UnaryOperator<Recipe> TOGGLE_LOW_RANK = r -> r.withLowRank(r.lowRank() == null
            ? Recipe.paperLowRank().lowRank() : null);

    static final UnaryOperator<Recipe> TOGGLE_INT8 = r -> new Recipe(r.generation(), r.lowRank(), r.sparseFfn(),
            r.head(), r.embedding(), r.int8() != null && r.int8().on() ? null : new Recipe.Int8(null, null),
            r.precision(), r.calibration());

    static final UnaryOperator<Recipe> TOGGLE_EMBEDDING_CACHE = r -> new Recipe(r.generation(), r.lowRank(),
            r.sparseFfn(), r.head(), r.embedding() == null ? new EmbeddingCacheSettings(EMBEDDING_CACHE_ROWS) : null,
            r.int8(), r.precision(), r.calibration());

    static final UnaryOperator<Recipe> TOGGLE_SPARSE = r -> withSparse(r, r.sparseFfn() == null ? RecipeDefaults.SPARSE : null);

    static final UnaryOperator<Recipe> TOGGLE_HEAD = r -> withHead(r, r.head() == null ? RecipeDefaults.HEAD : null);

    static final UnaryOperator<Recipe> RANK_UP = r -> stepRatio(r, +1);
    static final UnaryOperator<Recipe> RANK_DOWN = r -> stepRatio(r, -1);
    static final UnaryOperator<Recipe> COVERAGE_UP = r -> stepCoverage(r, +1);
    static final UnaryOperator<Recipe> COVERAGE_DOWN = r -> stepCoverage(r, -1);
    static final UnaryOperator<Recipe> CLUSTERS_UP = r -> stepClusters(r, +1);
    static final UnaryOperator<Recipe> CLUSTERS_DOWN = r -> stepClusters(r, -1);
    static final UnaryOperator<Recipe> THRESHOLD_UP = r -> stepThreshold(r, +1);
    static final UnaryOperator<Recipe> THRESHOLD_DOWN = r -> stepThreshold(r, -1);

    /** The next ratio on the ladder above or below the current one; low rank turns on at D/8 if it was off. */
    static Recipe stepRatio(Recipe r, int direction) {
        Recipe.LowRank lr = r.lowRank();
        if (lr == null || lr.rule() == null || lr.rule().ratio() == null) {
            return lr == null ? TOGGLE_LOW_RANK.apply(r) : r;
        }
        double next = ladder(RATIOS, lr.rule().ratio(), direction);
        return r.withLowRank(new Recipe.LowRank(lr.method(), lr.matrices(), RankRule.ratio(next), lr.overrides(),
                lr.ridge()));
    }

    /** The head's coverage by one step (its selection only: no retraining); the head turns on if it was off. */
    static Recipe stepCoverage(Recipe r, int direction) {
        ClusteredHeadSettings h = r.head();
        if (h == null) return TOGGLE_HEAD.apply(r);
        double c = clamp(h.coverage() + direction * COVERAGE_STEP, COVERAGE_MIN, COVERAGE_MAX);
        return withHead(r, h.withSelection(new Selection(c, h.minClusters(), h.maxClusters())));
    }

    /** The next cluster count on the ladder (retrains the head); the head turns on if it was off. */
    static Recipe stepClusters(Recipe r, int direction) {
        ClusteredHeadSettings h = r.head();
        if (h == null) return TOGGLE_HEAD.apply(r);
        double[] ladder = java.util.Arrays.stream(CLUSTERS).asDoubleStream().toArray();
        int k = (int) ladder(ladder, h.clusters(), direction);
        // the selection must stay possible with fewer clusters
        Selection s = h.selection();
        return withHead(r, h.withClusters(k).withSelection(new Selection(s.coverage(), Math.min(s.minClusters(), k),
                Math.min(s.maxClusters(), k))));
    }

    /** The MLP predictor's threshold by one step (no retraining); the sparse channel mix turns on if it was off. */
    static Recipe stepThreshold(Recipe r, int direction) {
        Recipe.SparseFfn s = r.sparseFfn();
        if (s == null) return TOGGLE_SPARSE.apply(r);
        double now = s.threshold() != null ? s.threshold() : RecipeDefaults.SPARSE.threshold();
        double t = clamp(now + direction * THRESHOLD_STEP, THRESHOLD_MIN, THRESHOLD_MAX);
        return withSparse(r, new Recipe.SparseFfn(s.predictor(), t, s.layerThresholds(), s.mlpWidth(),
                s.oneBitSparsity(), s.samples(), s.cacheNeurons()));
    }

    /** The nearest step of the ladder strictly above (below) the value, or its end. */
    private static double ladder(double[] steps, double now, int direction) {
        double next = now;
        if (direction > 0) {
            for (double q : steps) if (q > now + 1e-9) { next = q; break; }
        } else {
            for (int i = steps.length - 1; i >= 0; i--) if (steps[i] < now - 1e-9) { next = steps[i]; break; }
        }
        return next;
    }

    private static double clamp(double v, double min, double max) {
        return Math.round(Math.min(max, Math.max(min, v)) * 1000) / 1000.0;
    }

    private static Recipe withSparse(Recipe r, Recipe.SparseFfn s) {
        return new Recipe(r.generation(), r.lowRank(), s, r.head(), r.embedding(), r.int8(), r.precision(),
                r.calibration());
    }

    private static Recipe withHead(Recipe r, ClusteredHeadSettings h) {
        return new Recipe(r.generation(), r.lowRank(), r.sparseFfn(), h, r.embedding(), r.int8(), r.precision(),
                r.calibration());
    }
}
