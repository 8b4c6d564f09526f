package dev.rwkvedge.runtime.sampling;

/**
 * How the next token is picked, with ChatRWKV's knobs and meanings.
 *
 * @param temperature applied to the probabilities as {@code p^(1/temperature)}; 0 picks the most likely token
 * @param topP keep the most likely tokens whose probabilities first add up to at least this; 1 keeps all
 * @param topK keep at most this many most likely tokens; 0 keeps all, 1 picks the most likely token
 * @param presencePenalty subtracted from the logit of every token generated before
 * @param frequencyPenalty subtracted once per (decayed) earlier occurrence of the token
 * @param penaltyDecay the factor every occurrence count shrinks by per generated token (ChatRWKV 0.996; 1 = none)
 * @param seed seeds the random generator, so that the same settings and logits give the same tokens
 */
public record SamplerSettings(
        double temperature,
        double topP,
        int topK,
        double presencePenalty,
        double frequencyPenalty,
        double penaltyDecay,
        long seed) {

    public SamplerSettings {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and >= 0, not " + temperature);
        }
        if (!(topP >= 0 && topP <= 1)) throw new IllegalArgumentException("topP must be in [0, 1], not " + topP);
        if (topK < 0) throw new IllegalArgumentException("topK must be >= 0, not " + topK);
        if (!Double.isFinite(presencePenalty) || !Double.isFinite(frequencyPenalty)) {
            throw new IllegalArgumentException("penalties must be finite");
        }
        if (!(penaltyDecay >= 0 && penaltyDecay <= 1)) {
            throw new IllegalArgumentException("penaltyDecay must be in [0, 1], not " + penaltyDecay);
        }
    }

    /** Always the most likely token, no penalties. */
    public static SamplerSettings greedy() {
        return new SamplerSettings(0, 1, 0, 0, 0, 1, 0);
    }

    /** The settings of ChatRWKV's API_DEMO_CHAT.py (temperature 1, top-p 0.3, penalties 0.5, decay 0.996). */
    public static SamplerSettings chat(long seed) {
        return new SamplerSettings(1.0, 0.3, 0, 0.5, 0.5, 0.996, seed);
    }

    /** Whether sampling reduces to taking the most likely token. */
    public boolean isGreedy() {
        return temperature == 0 || topK == 1;
    }

    public boolean hasPenalties() {
        return presencePenalty != 0 || frequencyPenalty != 0;
    }
}
