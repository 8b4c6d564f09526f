package dev.rwkvedge.studio.views.compress;

import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.RankRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A recipe in a few words, for tooltips and tables: "svd ratio 0.125 · int8". */
final class RecipeLabels {
    private RecipeLabels() {}

    static String describe(Recipe r) {
        List<String> parts = new ArrayList<>();
        if (r.lowRank() != null) {
            RankRule k = r.lowRank().rule();
            String rule = k.ratio() != null ? "ratio " + num(k.ratio()) : k.energy() != null ? "energy " + num(k.energy())
                    : k.budget() != null ? "budget " + num(k.budget()) : "rank " + k.fixed();
            parts.add((r.lowRank().method() == null ? "svd" : r.lowRank().method()) + " " + rule);
        }
        if (r.sparseFfn() != null) {
            String p = r.sparseFfn().predictor() == null ? "mlp" : r.sparseFfn().predictor().toString();
            parts.add("sparse FFN " + p + (p.equals("1bit") ? " p " + num(r.sparseFfn().oneBitSparsity())
                    : " t " + num(r.sparseFfn().threshold())));
        }
        if (r.head() != null) parts.add("head " + r.head().clusters() + " clusters @ " + num(r.head().coverage()));
        if (r.embedding() != null) parts.add("embedding cache " + r.embedding().cacheRows());
        if (r.int8() != null && r.int8().on()) parts.add("int8");
        if (r.precision() != null) parts.add(r.precision().of("blocks.0.x").label());
        return parts.isEmpty() ? "dense (nothing applied)" : String.join(" · ", parts);
    }

    private static String num(Double v) {
        return v == null ? "default" : String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
