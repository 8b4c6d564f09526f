package dev.rwkvedge.runtime.sampling;

import java.util.HashMap;
import java.util.Map;

/**
 * ChatRWKV's repetition penalty: a decaying count per generated token, and a logit penalty of
 * {@code presence + count * frequency} for every token that has a count.
 */
final class OccurrencePenalty {
    private final Map<Integer, Double> counts = new HashMap<>();

    /** Counts a generated token; the older counts decay first, as ChatRWKV's chat loop does. */
    void record(int token, double decay) {
        if (decay != 1) counts.replaceAll((id, count) -> count * decay);
        counts.merge(token, 1.0, Double::sum);
    }

    /** Subtracts the penalties in place; ids beyond the logits (another vocabulary) are ignored. */
    void apply(double[] logits, double presence, double frequency) {
        for (Map.Entry<Integer, Double> e : counts.entrySet()) {
            int id = e.getKey();
            if (id < logits.length) logits[id] -= presence + e.getValue() * frequency;
        }
    }

    double count(int token) {
        return counts.getOrDefault(token, 0.0);
    }

    void clear() {
        counts.clear();
    }
}
