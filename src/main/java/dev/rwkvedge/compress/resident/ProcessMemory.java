package dev.rwkvedge.compress.resident;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * What this JVM holds, measured, in the three places model weights can live: pages of a mapped file that are in the
 * resident set (/proc/self/smaps), native memory the JVM allocated for foreign-memory arenas (Native Memory
 * Tracking's "Other" category; needs -XX:NativeMemoryTracking=summary), and the primitive arrays live on the heap
 * (the JVM's class histogram, which collects first): where weights, scales and tables would sit on the heap.
 */
public final class ProcessMemory {
    private static final Pattern OTHER = Pattern.compile("-\\s*Other \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");
    /** A histogram row of a primitive array class: "num: instances bytes [F (java.base...)". */
    private static final Pattern ARRAYS = Pattern.compile("^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+\\[[BSIJFD] ", Pattern.MULTILINE);

    private ProcessMemory() {}

    /** One measurement. nativeBytes is -1 when Native Memory Tracking is off. */
    public record Sample(long heapBytes, long nativeBytes, long mappedBytes) {}

    public static Sample sample(Path mappedFile) throws IOException {
        return new Sample(liveHeap(), nativeOther(), mappedRss(mappedFile));
    }

    /** Resident bytes of every mapping of the file, summed (kB granularity of smaps). */
    public static long mappedRss(Path file) throws IOException {
        String target = file.toRealPath().toString();
        long kb = 0;
        boolean inside = false;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            if (!line.isEmpty() && Character.isDigit(line.charAt(0)) || line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                String[] f = line.trim().split("\\s+", 6);
                inside = f.length == 6 && f[5].equals(target);
            } else if (inside && line.startsWith("Rss:")) {
                kb += Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return kb * 1024;
    }

    /**
     * Bytes of live primitive arrays on the heap, after collections (with pauses so cleaners free unreachable native
     * segments and close channels before NMT is read).
     */
    public static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String h = diagnostic("gcClassHistogram", new String[0]);
        long bytes = 0;
        Matcher m = ARRAYS.matcher(h);
        while (m.find()) bytes += Long.parseLong(m.group(1));
        return bytes;
    }

    private static String diagnostic(String command, String[] args) {
        try {
            return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), command, new Object[] {args},
                    new String[] {String[].class.getName()});
        } catch (Exception e) {
            return "";
        }
    }

    /** Committed bytes of NMT's "Other" category (Unsafe.allocateMemory, which arenas use), or -1 when off. */
    public static long nativeOther() {
        Matcher m = OTHER.matcher(diagnostic("vmNativeMemory", new String[] {"summary", "scale=KB"}));
        return m.find() ? Long.parseLong(m.group(2)) * 1024 : -1;
    }
}
