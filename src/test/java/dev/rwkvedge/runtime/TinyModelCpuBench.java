package dev.rwkvedge.runtime;

import dev.rwkvedge.model.LoadedModel;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Serial and sequence mode of one model, one thread, in tokens per second of this thread's CPU time: on a machine
 * shared with other jobs the wall clock mostly measures the scheduler, the thread's CPU time far less. 1024 random
 * tokens per round as {@code bench} feeds them, rounds repeated for the given seconds, best round reported. Not a test;
 * after {@code mvn test-compile}: {@code java --add-modules jdk.incubator.vector -cp
 * target/classes:target/test-classes:DEPS dev.rwkvedge.runtime.TinyModelCpuBench FILE SECONDS}. It uses only the
 * public runtime, so it runs as well against an older build's classes (A/B).
 */
public final class TinyModelCpuBench {
    private TinyModelCpuBench() {}

    public static void main(String[] args) throws Exception {
        double seconds = Double.parseDouble(args[1]);
        var cpu = ManagementFactory.getThreadMXBean();
        try (LoadedModel m = LoadedModel.open(Path.of(args[0]))) {
            RwkvModel model = m.model();
            int tokens = 1024;
            int[] prompt = new SplittableRandom(7).ints(tokens, 0, m.config().vocab()).toArray();
            float[] logits = new float[model.head().vocab()];
            double serial = 0, sequence = 0;
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                RwkvState s = model.newState();
                long c0 = cpu.getCurrentThreadCpuTime();
                for (int t : prompt) model.forward(t, s, logits);
                serial = Math.max(serial, tokens / ((cpu.getCurrentThreadCpuTime() - c0) / 1e9));
                c0 = cpu.getCurrentThreadCpuTime();
                model.forwardSequence(prompt, model.newState(), false);
                sequence = Math.max(sequence, tokens / ((cpu.getCurrentThreadCpuTime() - c0) / 1e9));
            }
            System.out.printf("%-28s serial %8.0f tok/CPU-s  sequence %8.0f tok/CPU-s%n",
                    Path.of(args[0]).getFileName(), serial, sequence);
        }
    }
}
