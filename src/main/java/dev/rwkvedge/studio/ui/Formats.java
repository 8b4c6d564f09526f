package dev.rwkvedge.studio.ui;

import java.util.Locale;

/** Numbers as a speaker reads them out: 834K parameters, 3.3 MB. */
public final class Formats {
    private Formats() {}

    /** Decimal units (kB = 1000 bytes), as file managers show sizes. */
    public static String bytes(long n) {
        if (n < 0) return "?";
        if (n < 1000) return n + " B";
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }

    public static String count(long n) {
        if (n < 1000) return Long.toString(n);
        String[] units = {"K", "M", "B"};
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.2f%s" : v < 100 ? "%.1f%s" : "%.0f%s", v, units[u]);
    }

    public static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    public static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }
}
