package dev.rwkvedge.compress.resident;

import dev.rwkvedge.compress.SizeReport;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.runtime.RwkvState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The memory benchmark: generates tokens with a model file at one thread and compares the model memory this JVM
 * holds (mapped pages of the file + native arena memory + live heap, each as growth over a baseline taken before
 * loading) with what the size report says the model holds; and decode speed of several files, measured in turns.
 *
 * <pre>
 * measure FILE [TOKENS [DENSE_PARAMS]]   one markdown row (run in a fresh JVM with -XX:NativeMemoryTracking=summary)
 * speed TOKENS ROUNDS FILE...            decode tokens/s (wall and CPU) of each file, best of ROUNDS, in turns
 * </pre>
 * tools/memory-bench.sh runs both over the shipped recipes.
 */
public final class MemoryBench {
    private MemoryBench() {}

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        if (args.length >= 2 && args[0].equals("measure")) {
            measure(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 2000,
                    args.length > 3 ? Long.parseLong(args[3]) : 0);
        } else if (args.length >= 4 && args[0].equals("speed")) {
            List<Path> files = new ArrayList<>();
            for (int i = 3; i < args.length; i++) files.add(Path.of(args[i]));
            speed(Integer.parseInt(args[1]), Integer.parseInt(args[2]), files);
        } else {
            System.err.println("usage: MemoryBench measure FILE [TOKENS [DENSE_PARAMS]] | speed TOKENS ROUNDS FILE...");
            System.exit(2);
        }
    }

    static void measure(Path file, int tokens, long denseParams) throws Exception {
        warmUp(file);
        ProcessMemory.Sample before = ProcessMemory.sample(file);
        if (before.nativeBytes() < 0) throw new IllegalStateException("run with -XX:NativeMemoryTracking=summary");
        try (LoadedModel m = LoadedModel.open(file)) {
            RwkvModel model = m.model();
            model.setThreads(1);
            long t0 = System.nanoTime();
            generate(model, tokens, 1);
            double seconds = (System.nanoTime() - t0) / 1e9;
            ProcessMemory.Sample after = ProcessMemory.sample(file);
            long heap = after.heapBytes() - before.heapBytes(), nat = after.nativeBytes() - before.nativeBytes();
            long mapped = after.mappedBytes() - before.mappedBytes();
            long measured = heap + nat + mapped;
            SizeReport r = SizeReport.of(model, denseParams > 0 ? denseParams : SizeReport.of(model, 0).parameters());
            long reported = r.residentBytes();
            StringBuilder parts = new StringBuilder();
            for (SizeReport.Part p : r.parts()) {
                System.err.printf("%s %,d B%n", p.component(), p.residentBytes()); // per part, for a closer look
                if (Double.isNaN(p.cacheHitRate())) continue;
                parts.append(String.format("%s %.0f%% hits, %,.0f B/token; ", p.component(), 100 * p.cacheHitRate(),
                        p.readBytesPerToken()));
            }
            System.out.printf("| %s | %,d | %,d | %,d | %,d | %,d | %+.1f%% | %.2fx | %.0f | %s |%n",
                    file.getFileName(), reported, measured, mapped, nat, heap,
                    100.0 * (measured - reported) / reported, (double) r.baselineFp16Bytes() / measured,
                    tokens / seconds, parts.isEmpty() ? "-" : parts.toString().trim());
        }
    }

    /**
     * Loads the classes, caches and code paths once, so the baseline holds everything but the model itself. A method
     * of its own: its frame, which could keep the model reachable, is gone before the baseline is taken.
     */
    private static void warmUp(Path file) throws Exception {
        try (LoadedModel warm = LoadedModel.open(file)) {
            generate(warm.model(), 20, 0);
        }
    }

    static void speed(int tokens, int rounds, List<Path> files) throws Exception {
        List<LoadedModel> models = new ArrayList<>();
        try {
            for (Path f : files) {
                LoadedModel m = LoadedModel.open(f);
                m.model().setThreads(1);
                models.add(m);
                generate(m.model(), tokens / 4, 1);
            }
            // wall time and this thread's CPU time: on a shared machine the CPU figure is what the code costs
            double[] best = new double[files.size()], bestCpu = new double[files.size()];
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < models.size(); i++) {
                    long t0 = System.nanoTime(), c0 = threads.getCurrentThreadCpuTime();
                    generate(models.get(i).model(), tokens, 2 + r);
                    best[i] = Math.max(best[i], tokens / ((System.nanoTime() - t0) / 1e9));
                    bestCpu[i] = Math.max(bestCpu[i], tokens / ((threads.getCurrentThreadCpuTime() - c0) / 1e9));
                }
            }
            for (int i = 0; i < files.size(); i++) {
                System.out.printf("| %s | %.0f | %.2f | %.0f | %.2f |%n", files.get(i).getFileName(), best[i],
                        best[i] / best[0], bestCpu[i], bestCpu[i] / bestCpu[0]);
            }
        } finally {
            for (LoadedModel m : models) m.close();
        }
    }

    /** Samples tokens from the model's own distribution (temperature 1), so every part sees varied input. */
    static void generate(RwkvModel model, int tokens, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        RwkvState st = model.newState();
        int tok = 0;
        for (int i = 0; i < tokens; i++) {
            float[] logits = model.forward(tok, st);
            tok = sample(logits, rnd.nextDouble());
        }
    }

    private static int sample(float[] z, double u) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : z) max = Math.max(max, v);
        double sum = 0;
        for (float v : z) sum += Math.exp(v - max);
        double target = u * sum, acc = 0;
        for (int i = 0; i < z.length; i++) {
            acc += Math.exp(z[i] - max);
            if (acc >= target) return i;
        }
        return z.length - 1;
    }
}
