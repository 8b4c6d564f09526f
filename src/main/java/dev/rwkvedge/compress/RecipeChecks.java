package dev.rwkvedge.compress;

import dev.rwkvedge.io.Generation;

/** Range checks of recipe fields, each failure one line naming the recipe, the field and what it may be. */
final class RecipeChecks {
    private final String source;

    RecipeChecks(String source) {
        this.source = source;
    }

    Recipe.RecipeException fail(String what) {
        return new Recipe.RecipeException(source + ": " + what);
    }

    void range(String field, double v, double lo, boolean loIncluded, double hi, boolean hiIncluded)
            throws Recipe.RecipeException {
        boolean ok = (loIncluded ? v >= lo : v > lo) && (hiIncluded ? v <= hi : v < hi);
        if (!ok) {
            throw fail(field + " must be in " + (loIncluded ? "[" : "(") + num(lo) + ", " + num(hi)
                    + (hiIncluded ? "]" : ")") + ", not " + num(v));
        }
    }

    void between(String field, long v, long lo, long hi) throws Recipe.RecipeException {
        if (v < lo || v > hi) throw fail(field + " must be in " + lo + ".." + hi + ", not " + v);
    }

    void atLeast(String field, long v, long lo) throws Recipe.RecipeException {
        if (v < lo) throw fail(field + " must be at least " + lo + ", not " + v);
    }

    void generation(String g) throws Recipe.RecipeException {
        try {
            Generation.parse(g);
        } catch (IllegalArgumentException e) {
            throw fail("generation \"" + (g.length() > 20 ? g.substring(0, 20) + "..." : g)
                    + "\" is not an RWKV generation (4, 5.1, 5.2, 6 or 7)");
        }
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
