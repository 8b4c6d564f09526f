package dev.rwkvedge.runtime;

import dev.rwkvedge.model.LoadedModel;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Serial decode of several files of the same model back to back in one JVM, one thread: tokens per second of wall
 * time and per second of this thread's CPU time (the second is what a machine shared with other jobs disturbs
 * least), best of several rounds, plus the projections' resident bytes. Files as {@link StoredFormFiles} writes them.
 * Not a test; after {@code mvn test-compile}: {@code java --add-modules jdk.incubator.vector -cp
 * target/classes:target/test-classes:DEPS dev.rwkvedge.runtime.StoredFormBench TOKENS ROUNDS FILE...}.
 */
public final class StoredFormBench {
    private StoredFormBench() {}

    public static void main(String[] args) throws Exception {
        int tokens = Integer.parseInt(args[0]), rounds = Integer.parseInt(args[1]);
        var cpu = ManagementFactory.getThreadMXBean();
        for (int f = 2; f < args.length; f++) {
            try (LoadedModel m = LoadedModel.open(Path.of(args[f]))) {
                RwkvModel model = m.model();
                model.setThreads(1);
                int[] prompt = new SplittableRandom(7).ints(tokens, 0, m.config().vocab()).toArray();
                double bestWall = 0, bestCpu = 0;
                for (int r = 0; r < rounds; r++) {
                    RwkvState s = model.newState();
                    long w0 = System.nanoTime(), c0 = cpu.getCurrentThreadCpuTime();
                    for (int t : prompt) model.forward(t, s);
                    bestWall = Math.max(bestWall, tokens / ((System.nanoTime() - w0) / 1e9));
                    bestCpu = Math.max(bestCpu, tokens / ((cpu.getCurrentThreadCpuTime() - c0) / 1e9));
                }
                long weights = model.head().residentBytes();
                for (Block b : model.blocks()) {
                    for (Projection p : b.timeMix().projections().values()) weights += p.residentBytes();
                    weights += b.channelMix().residentBytes();
                }
                System.out.printf("%-28s serial %6.1f tok/s wall, %6.1f tok/s CPU; blocks+head resident %,d bytes"
                        + " (file %,d)%n", Path.of(args[f]).getFileName(), bestWall, bestCpu, weights,
                        m.checkpoint().fileBytes());
            }
        }
    }
}
