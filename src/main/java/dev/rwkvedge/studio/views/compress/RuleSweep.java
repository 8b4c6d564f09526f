package dev.rwkvedge.studio.views.compress;

import dev.rwkvedge.compress.RankRule;
import dev.rwkvedge.compress.Recipe;
import java.util.ArrayList;
import java.util.List;

/**
 * The current recipe at a ladder of values of its rank rule, for filling the trade-off chart in one go: the
 * researcher's first question is where along the rule the quality falls off.
 */
final class RuleSweep {
    private RuleSweep() {}

    /** The recipes to try (the dense model is always a point already); with low rank off, the ratio rule. */
    static List<Recipe> of(Recipe r) {
        Recipe.LowRank lr = r.lowRank() != null ? r.lowRank() : Recipe.paperLowRank().lowRank();
        RankRule rule = lr.rule();
        List<RankRule> rules = new ArrayList<>();
        if (rule.energy() != null) {
            for (double e : new double[] {0.6, 0.7, 0.8, 0.9, 0.95, 0.99}) rules.add(RankRule.energy(e));
        } else if (rule.budget() != null) {
            for (double b : new double[] {0.1, 0.2, 0.3, 0.5, 0.7, 0.9}) rules.add(RankRule.budget(b));
        } else if (rule.fixed() != null) {
            for (int k : new int[] {2, 4, 8, 16, 32, 64}) rules.add(RankRule.fixed(k));
        } else {
            for (double x : new double[] {0.03, 0.06, 0.125, 0.25, 0.375, 0.5, 0.75}) rules.add(RankRule.ratio(x));
        }
        List<Recipe> out = new ArrayList<>();
        for (RankRule k : rules) {
            Recipe.LowRank l = new Recipe.LowRank(lr.method(), lr.matrices(), k, lr.overrides(), lr.ridge());
            out.add(r.withLowRank(l));
        }
        return out;
    }
}
