package dev.rwkvedge.studio.views.compress;

import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.SizeReport;

/**
 * One configuration tried: its recipe, what it keeps resident, how closely it follows the dense model on held-out
 * text, and its task score once measured (null until then).
 *
 * @param key the recipe's JSON, which identifies the configuration
 */
public record TradeOffPoint(String key, Recipe recipe, SizeReport size, double top1Agreement, double meanKl,
                            Double taskScore) {

    public static TradeOffPoint of(Recipe recipe, SizeReport size, double top1Agreement, double meanKl) {
        return new TradeOffPoint(recipe.toJson(), recipe, size, top1Agreement, meanKl, null);
    }

    public TradeOffPoint withTaskScore(double score) {
        return new TradeOffPoint(key, recipe, size, top1Agreement, meanKl, score);
    }

    public double residentMegabytes() {
        return size.residentBytes() / 1e6;
    }
}
