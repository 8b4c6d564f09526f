package dev.rwkvedge.model;

import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.runtime.RwkvState;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;

/**
 * Serial and sequence decode of synthetic RWKV-7 shapes, one thread, in tokens per second of this thread's CPU time
 * (which a loaded machine disturbs far less than wall time; memory bandwidth is still shared): best of the rounds
 * after the first. Run one shape per JVM for A/B comparisons, so that one storage type's code does not shape the
 * JIT's profile of another's. Not a test; after {@code mvn test-compile}: {@code java --add-modules
 * jdk.incubator.vector -cp target/classes:target/test-classes:DEPS dev.rwkvedge.model.SyntheticDecodeBench
 * rwkv7-0.1b:f16 [tokens] [rounds]}.
 */
public final class SyntheticDecodeBench {
    private SyntheticDecodeBench() {}

    public static void main(String[] args) throws Exception {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        int tokens = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        for (String spec : args[0].split(",")) {
            try (LoadedModel m = LoadedModel.of(SyntheticModel.rwkv7(SyntheticModel.shape(spec), 1), null)) {
                RwkvModel model = m.model();
                int[] prompt = new SplittableRandom(7).ints(tokens, 0, m.config().vocab()).toArray();
                float[] logits = new float[m.config().vocab()];
                double serial = 0, sequence = 0;
                for (int r = 0; r < rounds; r++) {
                    RwkvState s = model.newState();
                    long c0 = cpu.getCurrentThreadCpuTime();
                    for (int t : prompt) model.forward(t, s, logits);
                    long c1 = cpu.getCurrentThreadCpuTime();
                    model.forwardSequence(prompt, model.newState(), false);
                    long c2 = cpu.getCurrentThreadCpuTime();
                    if (r == 0) continue;
                    serial = Math.max(serial, tokens / ((c1 - c0) / 1e9));
                    sequence = Math.max(sequence, tokens / ((c2 - c1) / 1e9));
                }
                System.out.printf("%s serial %.1f sequence %.1f tokens per CPU-second, load %.1f%n", spec, serial,
                        sequence, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }
        }
    }
}
