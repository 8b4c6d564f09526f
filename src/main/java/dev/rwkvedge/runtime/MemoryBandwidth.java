package dev.rwkvedge.runtime;

import dev.rwkvedge.tensor.Simd;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The machine's memory read bandwidth as decode sees it: a buffer far larger than any cache, read front to back by
 * the given threads in 1 MiB pieces, best of several passes. Decode of a large model cannot beat this bandwidth
 * divided by the bytes a token reads. The read kernel is compiled before the first timed pass (a pass timed while
 * the kernel still ran interpreted or half-compiled is what made earlier figures vary from 6 to 37 GB/s), and the
 * best pass is the one least disturbed by other processes.
 */
public final class MemoryBandwidth {
    private static final long PIECE = 1 << 20;
    /** Pieces read to warm the kernel up: enough calls for the JIT's optimizing tier, from a cache-sized region. */
    private static final int WARM_CALLS = 20_000, WARM_BYTES = 64 << 10;

    private MemoryBandwidth() {}

    /** Bytes per second of a streaming read of {@code bytes} (at least 64 MiB) over {@code par}'s threads. */
    public static double measure(Parallel par, long bytes, int passes) {
        int pieces = (int) Math.max(64, bytes / PIECE);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment m = arena.allocate(pieces * PIECE, 4096);
            m.fill((byte) 1);
            float[] sink = new float[pieces];
            for (int i = 0; i < WARM_CALLS; i++) sink[i % pieces] += Simd.streamSum(m, 0, WARM_BYTES);
            double best = 0;
            for (int p = 0; p < passes; p++) {
                long t0 = System.nanoTime();
                par.forRange(pieces, PIECE, (from, to) -> {
                    for (int k = from; k < to; k++) sink[k] += Simd.streamSum(m, k * PIECE, (k + 1) * PIECE);
                });
                best = Math.max(best, pieces * PIECE / ((System.nanoTime() - t0) / 1e9));
            }
            if (Float.isNaN(sink[0])) throw new AssertionError(); // keeps the reads from being optimised away
            return best;
        }
    }
}
