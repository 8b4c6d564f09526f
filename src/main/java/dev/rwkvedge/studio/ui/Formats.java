package dev.rwkvedge.studio.ui;

import java.util.Locale;

/** Numbers as a speaker reads them out: 834K parameters, 3.3 MB. */
public final class Formats {
    private Formats() {}

    /** Decimal units (kB = 1000 bytes), as file managers show sizes. */
    public static String bytes(long n) {
        if (n < 0) return "?";
        return n < 1000 ? n + " B" : scaled(n, new String[] {"kB", "MB", "GB", "TB"}, " ");
    }

    public static String count(long n) {
        return n < 1000 ? Long.toString(n) : scaled(n, new String[] {"K", "M", "B"}, "");
    }

    /** Three significant digits in the largest unit that keeps the number at 1 or more. */
    private static String scaled(long n, String[] units, String gap) {
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.2f%s%s" : v < 100 ? "%.1f%s%s" : "%.0f%s%s", v, gap, units[u]);
    }

    public static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /**
     * A size ratio worded the way it reads: {@code reference / size} of 3.2 is "3.20x smaller than fp16", of 0.5 is
     * "2.00x larger than fp16" (never "0.50x", which reads as a reduction).
     */
    public static String versus(double ratio, String reference) {
        if (!(ratio > 0) || Double.isInfinite(ratio)) return "? vs " + reference;
        if (Math.abs(ratio - 1) < 0.005) return "the size of " + reference;
        return ratio >= 1 ? String.format(Locale.ROOT, "%.2fx smaller than %s", ratio, reference)
                : String.format(Locale.ROOT, "%.2fx larger than %s", 1 / ratio, reference);
    }

    public static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }
}
