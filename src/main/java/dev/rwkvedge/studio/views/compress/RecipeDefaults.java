package dev.rwkvedge.studio.views.compress;

import dev.rwkvedge.compress.LowRankMethod;
import dev.rwkvedge.compress.RankRule;
import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.quant.Precision;
import dev.rwkvedge.compress.sparse.PredictorKind;
import dev.rwkvedge.compress.embedding.EmbeddingCacheSettings;
import dev.rwkvedge.compress.head.ClusteredHeadSettings;
import dev.rwkvedge.compress.sparse.MlpTrainer;

/**
 * Every recipe section with every field at its default, as the knobs write it: what Reset restores, what a section
 * switched on starts from, and what a shortcut edits.
 */
public final class RecipeDefaults {
    public static final double RIDGE = 1e-4;
    public static final RankRule RULE = RankRule.ratio(0.125);
    public static final Recipe.LowRank LOW_RANK = new Recipe.LowRank(LowRankMethod.SVD, null, RULE, null, RIDGE);
    public static final Recipe.SparseFfn SPARSE = new Recipe.SparseFfn(PredictorKind.MLP, 0.7, null,
            MlpTrainer.Settings.DEFAULT.width(), 0.9, 2000);
    public static final ClusteredHeadSettings HEAD = ClusteredHeadSettings.paper();
    public static final EmbeddingCacheSettings EMBEDDING = new EmbeddingCacheSettings(1000);
    public static final Recipe.Int8 INT8 = new Recipe.Int8(true, "row");
    /** The storage a precision section switched on starts from. */
    public static final Precision PRECISION = Precision.FP16;
    /** The paper's recipe: low rank D/8 on its matrices, nothing else. */
    public static final Recipe PAPER = new Recipe(null, LOW_RANK, null, null, null, null, null);

    private RecipeDefaults() {}

    static Recipe toggle(Recipe r, CompressViewModel.Technique t) {
        return switch (t) {
            case LOW_RANK -> new Recipe(r.generation(), r.lowRank() == null ? LOW_RANK : null, r.sparseFfn(), r.head(),
                    r.embedding(), r.int8(), r.precision(), r.calibration());
            case SPARSE_FFN -> new Recipe(r.generation(), r.lowRank(), r.sparseFfn() == null ? SPARSE : null, r.head(),
                    r.embedding(), r.int8(), r.precision(), r.calibration());
            case HEAD -> new Recipe(r.generation(), r.lowRank(), r.sparseFfn(), r.head() == null ? HEAD : null,
                    r.embedding(), r.int8(), r.precision(), r.calibration());
            case EMBEDDING -> new Recipe(r.generation(), r.lowRank(), r.sparseFfn(), r.head(),
                    r.embedding() == null ? EMBEDDING : null, r.int8(), r.precision(), r.calibration());
            case INT8 -> new Recipe(r.generation(), r.lowRank(), r.sparseFfn(), r.head(), r.embedding(),
                    r.int8() != null && r.int8().on() ? null : INT8, r.precision(), r.calibration());
        };
    }

    /** One step along the rank rule: a ratio by 0.025, energy by 0.01, budget by 0.05, a fixed rank by 4. */
    static Recipe nudgeRank(Recipe r, int steps) {
        Recipe.LowRank lr = r.lowRank() != null ? r.lowRank() : LOW_RANK;
        RankRule moved = switch (lr.rule()) {
            case RankRule.Ratio k -> RankRule.ratio(step(k.value(), 0.025 * steps, 0.025, 1));
            case RankRule.Energy k -> RankRule.energy(step(k.value(), 0.01 * steps, 0.5, 1));
            case RankRule.Budget k -> RankRule.budget(step(k.value(), 0.05 * steps, 0.05, 1));
            case RankRule.Fixed k -> RankRule.fixed(Math.max(1, k.rank() + 4 * steps));
        };
        return new Recipe(r.generation(), new Recipe.LowRank(lr.method(), lr.matrices(), moved, lr.overrides(),
                lr.ridge()), r.sparseFfn(), r.head(), r.embedding(), r.int8(), r.precision(), r.calibration());
    }

    private static double step(double v, double by, double min, double max) {
        return Math.round(Math.min(max, Math.max(min, v + by)) * 1000) / 1000.0;
    }
}
