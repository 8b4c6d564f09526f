package dev.rwkvedge.io;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes and ratios as people type them, shared by the command line ({@code --target-size 1MB}) and the studio's
 * "Fit to size" field, so both accept the same words and refuse them with the same message.
 */
public final class SizeText {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmg]i?)?b?", Pattern.CASE_INSENSITIVE);

    private SizeText() {}

    /**
     * 1000000, 1MB, 1.5 MiB, 800kB: decimal units are powers of 1000, binary ones of 1024.
     *
     * @throws IllegalArgumentException naming the text and what a size looks like
     */
    public static long bytes(String text) {
        Matcher mt = SIZE.matcher(text.trim());
        if (!mt.matches()) throw new IllegalArgumentException(text + " is not a size (e.g. 1000000, 800kB, 1MB, 1.5MiB)");
        String unit = mt.group(2) == null ? "" : mt.group(2).toLowerCase(Locale.ROOT);
        double base = unit.endsWith("i") ? 1024 : 1000;
        int power = unit.isEmpty() ? 0 : "kmg".indexOf(unit.charAt(0)) + 1;
        double bytes = Double.parseDouble(mt.group(1)) * Math.pow(base, power);
        if (bytes < 1 || bytes > Long.MAX_VALUE / 2) throw new IllegalArgumentException(text + " is not a usable size");
        return (long) bytes;
    }

    /**
     * A positive, finite ratio (1 is the reference size itself).
     *
     * @throws IllegalArgumentException naming the text
     */
    public static double ratio(String text) {
        double r;
        try {
            r = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(text + " is not a number");
        }
        if (!(r > 0) || Double.isInfinite(r)) throw new IllegalArgumentException(text + " is not a positive ratio");
        return r;
    }
}
