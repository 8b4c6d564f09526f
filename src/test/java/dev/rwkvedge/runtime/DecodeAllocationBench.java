package dev.rwkvedge.runtime;

import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.model.SyntheticModel;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Heap bytes the decoding thread allocates per token once C2 has compiled the kernels (a kernel that runs boxed
 * allocates kilobytes per token), with serial tokens per second of wall and of this thread's CPU time, per round.
 * Not a test (how soon C2 compiles depends on the machine); after {@code mvn test-compile}: {@code java
 * --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:DEPS
 * dev.rwkvedge.runtime.DecodeAllocationBench MODEL|synthetic:SHAPE THREADS TOKENS ROUNDS}.
 */
public final class DecodeAllocationBench {
    private DecodeAllocationBench() {}

    public static void main(String[] args) throws Exception {
        String name = args[0];
        int threads = Integer.parseInt(args[1]), tokens = Integer.parseInt(args[2]), rounds = Integer.parseInt(args[3]);
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (LoadedModel m = name.startsWith("synthetic:")
                ? LoadedModel.of(SyntheticModel.rwkv7(SyntheticModel.shape(name.substring("synthetic:".length())), 1), null)
                : LoadedModel.open(Path.of(name))) {
            RwkvModel model = m.model();
            model.setThreads(threads);
            int[] prompt = new SplittableRandom(7).ints(tokens, 0, m.config().vocab()).toArray();
            float[] logits = new float[model.head().vocab()];
            for (int r = 0; r < rounds; r++) {
                RwkvState s = model.newState();
                long b0 = mx.getCurrentThreadAllocatedBytes(), c0 = mx.getCurrentThreadCpuTime(), w0 = System.nanoTime();
                for (int t : prompt) model.forward(t, s, logits);
                long w1 = System.nanoTime(), c1 = mx.getCurrentThreadCpuTime(), b1 = mx.getCurrentThreadAllocatedBytes();
                System.out.printf("round %2d: %,10.1f tok/s wall, %,10.1f tok/s of this thread's CPU, %,8.1f bytes allocated"
                        + " per token%n", r + 1, tokens / ((w1 - w0) / 1e9), tokens / ((c1 - c0) / 1e9),
                        (b1 - b0) / (double) tokens);
            }
            model.setThreads(1);
        }
    }
}
