package dev.rwkvedge.studio.views.compress;

import java.util.Locale;

/** Sizes against the dense model in fp16, worded so the direction can't be misread: "3.2 x smaller than fp16". */
public final class SizeWords {
    private SizeWords() {}

    public static String vsFp16(long bytes, long fp16Bytes) {
        return vs(bytes, fp16Bytes, "fp16");
    }

    static String vs(long bytes, long baseline, String name) {
        if (bytes <= 0 || baseline <= 0) return "";
        if (bytes == baseline) return "same size as " + name;
        return bytes < baseline ? String.format(Locale.ROOT, "%.2f x smaller than %s", (double) baseline / bytes, name)
                : String.format(Locale.ROOT, "%.2f x larger than %s", (double) bytes / baseline, name);
    }
}
