package dev.rwkvedge.cli;

import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.runtime.Kernels;
import dev.rwkvedge.runtime.MemoryBandwidth;
import dev.rwkvedge.runtime.Parallel;
import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.runtime.RwkvState;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Serial (one token per call) and sequence (prompt) throughput in tokens/s.")
final class BenchCommand implements Callable<Integer> {
    @Mixin
    ModelOptions opts;

    @Option(names = "--tokens", defaultValue = "256", converter = Ranges.Count.class,
            description = "Tokens per measured run (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--runs", defaultValue = "3", converter = Ranges.Count.class,
            description = "Measured runs; the best is reported (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--seconds", defaultValue = "2", converter = Ranges.NonNegative.class,
            description = "Warm-up seconds before measuring (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--bandwidth-mb", defaultValue = "512", converter = Ranges.NonNegativeInt.class,
            description = "Size of the streaming read that measures "
            + "memory bandwidth, 0 to skip it (default: ${DEFAULT-VALUE}).")
    int bandwidthMb;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (LoadedModel m = opts.open()) {
            RwkvModel model = m.model();
            int[] prompt = new SplittableRandom(7).ints(tokens, 0, m.config().vocab()).toArray();
            long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
            while (System.nanoTime() < warmEnd) {
                RwkvState s = model.newState();
                for (int i = 0; i < Math.min(16, tokens); i++) model.forward(prompt[i], s);
                model.forwardSequence(java.util.Arrays.copyOf(prompt, Math.min(64, tokens)), model.newState(), false);
            }
            double serial = 0, sequence = 0, serialCpu = 0;
            float[] logits = new float[model.head().vocab()];
            try (CliProgress p = new CliProgress("bench")) {
                for (int r = 0; r < runs; r++) {
                    p.checkCancelled();
                    RwkvState s = model.newState();
                    long c0 = ProcessStats.processCpuNanos(), t0 = System.nanoTime();
                    for (int tok : prompt) model.forward(tok, s, logits);
                    serial = Math.max(serial, tokens / ((System.nanoTime() - t0) / 1e9));
                    serialCpu = Math.max(serialCpu, tokens / ((ProcessStats.processCpuNanos() - c0) / 1e9));
                    p.update(2L * r + 1, 2L * runs, "serial");
                    t0 = System.nanoTime();
                    model.forwardSequence(prompt, model.newState(), false);
                    sequence = Math.max(sequence, tokens / ((System.nanoTime() - t0) / 1e9));
                    p.update(2L * r + 2, 2L * runs, "sequence");
                }
            }
            long peakRss = ProcessStats.peakRssBytes();
            double load = ProcessStats.loadAverage();
            long bytesPerToken = model.bytesPerToken();
            double bandwidth = 0;
            if (bandwidthMb > 0) {
                Parallel probe = new Parallel(model.threads());
                try {
                    bandwidth = MemoryBandwidth.measure(probe, bandwidthMb * (1L << 20), 16);
                } finally {
                    probe.shutdown();
                }
            }
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("model", m.path().getFileName().toString());
            j.put("threads", model.threads());
            j.put("simd", Kernels.simd());
            j.put("tokens", tokens);
            j.put("serial_tokens_per_s", Math.round(serial * 10) / 10.0);
            j.put("sequence_tokens_per_s", Math.round(sequence * 10) / 10.0);
            j.put("serial_tokens_per_cpu_s", Math.round(serialCpu * 10) / 10.0);
            j.put("peak_rss_bytes", peakRss);
            j.put("bytes_per_token", bytesPerToken);
            j.put("bandwidth_bytes_per_s", Math.round(bandwidth));
            j.put("bandwidth_limit_tokens_per_s", bandwidth > 0 ? Math.round(bandwidth / bytesPerToken * 10) / 10.0 : null);
            j.put("load_average", load);
            if (json) Json.print(j);
            else {
                System.out.printf("%s, %d thread(s), %s kernels, %d tokens%n", j.get("model"), model.threads(),
                        Kernels.simd() ? "vector" : "scalar", tokens);
                System.out.printf("serial    %,10.1f tokens/s (%,.1f per CPU-second)%nsequence  %,10.1f tokens/s%n",
                        serial, serialCpu, sequence);
                System.out.printf("peak RSS  %,10.1f MB%nreads     %,10.1f MB per token%n", peakRss / 1e6,
                        bytesPerToken / 1e6);
                if (bandwidth > 0) {
                    System.out.printf("bandwidth %,10.2f GB/s streaming read: at most %,.1f tokens/s serial%n",
                            bandwidth / 1e9, bandwidth / bytesPerToken);
                }
                System.out.printf("load      %10.2f (1-minute average while measuring)%n", load);
            }
            return 0;
        }
    }
}
