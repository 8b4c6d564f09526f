package dev.rwkvedge.studio.views.compress;

import java.util.Locale;

/**
 * A last-word accuracy measured on {@code items} items, with its 95 % Wilson score interval: the interval that stays
 * inside [0, 1] and keeps its coverage for accuracies near 0 or 1 and for a few hundred items.
 */
public record TaskScore(double accuracy, double low, double high, int items) {
    private static final double Z = 1.959963984540054;

    public static TaskScore wilson(int correct, int items) {
        if (items <= 0) throw new IllegalArgumentException("no items");
        double n = items, p = correct / n, z2 = Z * Z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new TaskScore(p, Math.max(0, centre - half), Math.min(1, centre + half), items);
    }

    /** "17.3 % (95 % CI 14.8-20.0 %, 800 items)". */
    public String text() {
        return String.format(Locale.ROOT, "%.1f %% (95 %% CI %.1f-%.1f %%, %d items)", 100 * accuracy, 100 * low,
                100 * high, items);
    }

    /** The dense model's score beside this one, and whether the two can be told apart at this sample size. */
    public String against(TaskScore dense) {
        return "dense " + dense.text() + (overlaps(dense) ? "; the intervals overlap: no measurable difference"
                : accuracy < dense.accuracy ? "; measurably worse than dense" : "; measurably better than dense");
    }

    /** Two scores whose intervals overlap cannot be told apart at this sample size. */
    public boolean overlaps(TaskScore o) {
        return low <= o.high && o.low <= high;
    }
}
