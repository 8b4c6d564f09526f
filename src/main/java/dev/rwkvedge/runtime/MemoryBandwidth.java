package dev.rwkvedge.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The machine's memory read bandwidth as decode sees it: a buffer far larger than any cache read front to back by
 * the given threads, best of a few passes. Decode of a large model cannot beat this bandwidth divided by the bytes a
 * token reads.
 */
public final class MemoryBandwidth {
    private MemoryBandwidth() {}

    /** Bytes per second of a streaming read of {@code bytes} (rounded to 4 KiB pages) over {@code par}'s threads. */
    public static double measure(Parallel par, long bytes, int passes) {
        long pages = Math.max(1, bytes / 4096);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment m = arena.allocate(pages * 4096, 4096);
            m.fill((byte) 1);
            double best = 0;
            float[] sink = new float[(int) pages];
            for (int p = 0; p < passes; p++) {
                long t0 = System.nanoTime();
                par.forRange((int) pages, 1L << 12, (from, to) -> {
                    sink[from] = VectorKernels.streamSum(m, from * 4096L, to * 4096L);
                });
                best = Math.max(best, pages * 4096.0 / ((System.nanoTime() - t0) / 1e9));
            }
            return best;
        }
    }
}
