package dev.rwkvedge.cli;

import dev.rwkvedge.io.AtomicFiles;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.runtime.RwkvState;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "logits", mixinStandardHelpOptions = true,
        description = "The logits after each token from a fresh state, for comparison with other implementations.")
final class LogitsCommand implements Callable<Integer> {
    @Mixin
    ModelOptions opts;

    @Option(names = "--tokens", required = true, split = ",", paramLabel = "IDS", converter = Ranges.NonNegativeInt.class,
            description = "Token ids, e.g. 34,105,110.")
    int[] tokens;

    @Option(names = "--out", paramLabel = "FILE", converter = FileArgs.Output.class,
            description = "Write float32 little-endian, tokens x vocabulary.")
    Path out;

    @Option(names = "--sequence", description = "Feed all tokens in one sequence call instead of one at a time.")
    boolean sequence;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (LoadedModel m = opts.open()) {
            int V = m.config().vocab();
            for (int t : tokens) {
                if (t < 0 || t >= V) throw new IllegalArgumentException("token " + t + " is outside 0.." + (V - 1));
            }
            RwkvState st = m.model().newState();
            float[] all;
            if (sequence) {
                all = m.model().forwardSequence(tokens, st, true);
            } else {
                all = new float[tokens.length * V];
                for (int t = 0; t < tokens.length; t++) {
                    System.arraycopy(m.model().forward(tokens[t], st), 0, all, t * V, V);
                }
            }
            if (out != null) {
                ByteBuffer bb = ByteBuffer.allocate(all.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                bb.asFloatBuffer().put(all);
                AtomicFiles.write(out, bb.array());
                System.err.printf("wrote %d x %d float32 logits to %s%n", tokens.length, V, out);
                return 0;
            }
            if (json) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("tokens", tokens);
                float[][] rows = new float[tokens.length][];
                for (int t = 0; t < tokens.length; t++) rows[t] = java.util.Arrays.copyOfRange(all, t * V, (t + 1) * V);
                j.put("logits", rows);
                Json.print(j);
                return 0;
            }
            for (int t = 0; t < tokens.length; t++) {
                int best = 0;
                for (int i = 1; i < V; i++) if (all[t * V + i] > all[t * V + best]) best = i;
                StringBuilder sb = new StringBuilder();
                sb.append("token ").append(tokens[t]).append(": argmax ").append(best).append(" (")
                        .append(all[t * V + best]).append(") logits");
                for (int i = 0; i < Math.min(V, 8); i++) sb.append(' ').append(all[t * V + i]);
                if (V > 8) sb.append(" ...");
                System.out.println(sb);
            }
            return 0;
        }
    }
}
