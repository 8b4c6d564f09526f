package dev.rwkvedge.studio.views.compress;

import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.SizeReport;

/**
 * One configuration tried. Its size is known first (analytic, from the built parts); how closely it follows the
 * dense model on the held-out batch, the bytes its exported file takes and its task score follow and are null until
 * measured.
 *
 * @param key       the recipe's JSON, which identifies the configuration
 * @param fileBytes bytes of the file Export writes for it (the model's own file for the dense point)
 * @param dense     the uncompressed model, drawn as the reference point
 */
public record TradeOffPoint(String key, Recipe recipe, SizeReport size, Long fileBytes, Double top1Agreement,
                            Double meanKl, TaskScore taskScore, boolean dense) {

    public static TradeOffPoint sized(Recipe recipe, SizeReport size) {
        return new TradeOffPoint(recipe.toJson(), recipe, size, null, null, null, null, false);
    }

    public TradeOffPoint withProxy(double top1, double kl, Long file) {
        return new TradeOffPoint(key, recipe, size, file, top1, kl, taskScore, dense);
    }

    public TradeOffPoint withFileBytes(long bytes) {
        return new TradeOffPoint(key, recipe, size, bytes, top1Agreement, meanKl, taskScore, dense);
    }

    public TradeOffPoint withTaskScore(TaskScore score) {
        return new TradeOffPoint(key, recipe, size, fileBytes, top1Agreement, meanKl, score, dense);
    }

    /** What a later measurement of the same recipe does not know yet: compression is deterministic. */
    public TradeOffPoint filledFrom(TradeOffPoint earlier) {
        if (earlier == null) return this;
        return new TradeOffPoint(key, recipe, size, fileBytes != null ? fileBytes : earlier.fileBytes,
                top1Agreement != null ? top1Agreement : earlier.top1Agreement,
                meanKl != null ? meanKl : earlier.meanKl, taskScore != null ? taskScore : earlier.taskScore, dense);
    }

    public boolean proxyMeasured() {
        return top1Agreement != null;
    }
}
