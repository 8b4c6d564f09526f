package dev.rwkvedge.studio.views.compress;

import dev.rwkvedge.io.SizeText;
import dev.rwkvedge.studio.ui.Formats;
import java.util.Locale;

/**
 * What "Fit to size" aims at: a resident size in bytes, or a ratio to the dense model in fp16 (the CLI's
 * {@code --target-size} and {@code --target-ratio}, parsed by the same {@link SizeText}).
 *
 * @param bytes the resident size, or 0 when a ratio is given
 * @param ratio how many times smaller than fp16, or 0 when a size is given
 */
public record FitTarget(long bytes, double ratio) {
    /** Below this a bare number is surely a ratio typed without its x, not a size in bytes. */
    private static final long SMALLEST_BARE_BYTES = 1000;

    /**
     * "10x", "x10", "10 x" (a ratio), or "1 MB", "800 kB", "1.5MiB", "1000000" (a size).
     *
     * @throws IllegalArgumentException with a one-line message for the field
     */
    public static FitTarget parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) throw new IllegalArgumentException("Type a target: 10x (ten times smaller than fp16) or a size such as 1 MB");
        if (t.endsWith("x") || t.startsWith("x")) {
            String number = t.startsWith("x") ? t.substring(1) : t.substring(0, t.length() - 1);
            return new FitTarget(0, SizeText.ratio(number));
        }
        long bytes = SizeText.bytes(t);
        if (bytes < SMALLEST_BARE_BYTES && t.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
            throw new IllegalArgumentException(text.trim() + " bytes is too small to mean a model: write "
                    + text.trim() + "x for " + text.trim() + " times smaller than fp16, or a size such as 1 MB");
        }
        return new FitTarget(bytes, 0);
    }

    /** The resident budget in bytes, given the dense model's fp16 size. */
    public long budget(long fp16Bytes) {
        return bytes > 0 ? bytes : (long) (fp16Bytes / ratio);
    }

    /** "10x smaller than fp16 (1.02 MB)" or "1.00 MB (10.0x smaller than fp16)". */
    public String describe(long fp16Bytes) {
        long b = budget(fp16Bytes);
        return bytes > 0 ? Formats.bytes(b) + " (" + Formats.versus((double) fp16Bytes / b, "fp16") + ")"
                : String.format(Locale.ROOT, "%sx smaller than fp16 (%s)", trimmed(ratio), Formats.bytes(b));
    }

    private static String trimmed(double r) {
        return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
    }
}
