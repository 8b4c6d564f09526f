package dev.rwkvedge.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one evaluation: named metrics (in the order the task reports them), how many items were evaluated
 * and what they were ({@code itemKind}: passages, questions, or windows of a token stream), how many tokens went
 * through the model(s), and the wall time. A plain record so Jackson writes it as is.
 */
public record EvalResult(String task, Map<String, Double> metrics, int items, String itemKind, long tokens, double seconds,
                         @JsonProperty("tokens_per_second") double tokensPerSecond) {

    public EvalResult {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** A result timed from {@code startNanos} (System.nanoTime) to now. */
    static EvalResult timed(String task, Map<String, Double> metrics, int items, String itemKind, long tokens,
                            long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return new EvalResult(task, metrics, items, itemKind, tokens, seconds, seconds > 0 ? tokens / seconds : 0);
    }

    /** @throws IllegalArgumentException when the task reported no such metric */
    public double metric(String name) {
        Double v = metrics.get(name);
        if (v == null) throw new IllegalArgumentException(task + " has no metric " + name + "; it has " + metrics.keySet());
        return v;
    }

    /** Results as an aligned text table: one row per metric, then the item count and throughput of each task. */
    public static String table(List<EvalResult> results) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-12s %-16s %14s%n", "task", "metric", "value"));
        for (EvalResult r : results) {
            String task = r.task;
            for (Map.Entry<String, Double> m : r.metrics.entrySet()) {
                sb.append(String.format(Locale.ROOT, "%-12s %-16s %14s%n", task, m.getKey(), format(m.getValue())));
                task = "";
            }
            sb.append(String.format(Locale.ROOT, "%-12s %,d %s, %,d tokens in %.2f s: %,.1f tokens/s%n", task,
                    r.items, r.itemKind, r.tokens, r.seconds, r.tokensPerSecond));
        }
        return sb.toString();
    }

    private static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.format(Locale.ROOT, "%,d", (long) v);
        return String.format(Locale.ROOT, Math.abs(v) >= 1e5 ? "%.4g" : "%.4f", v);
    }
}
