package dev.rwkvedge.runtime.sampling;

import java.util.Arrays;
import java.util.BitSet;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Picks the next token from logits the way ChatRWKV's {@code PIPELINE.sample_logits} and chat loop do: repetition
 * penalties on the logits, softmax, top-p (cut at the probability where the sorted cumulative sum first reaches
 * top_p), top-k, then {@code p^(1/temperature)}, renormalise and draw. Remembers the tokens it picked for the
 * penalties. Not thread-safe: one sampler per generation stream.
 */
public final class Sampler {
    /** Fractions of the top probability tried, highest first, as the floor of the tokens worth sorting. */
    private static final double[] CANDIDATE_FLOORS = {1e-2, 1e-4, 1e-6};

    private final SamplerSettings settings;
    private final RandomGenerator random;
    private final OccurrencePenalty penalty = new OccurrencePenalty();
    private final BitSet banned = new BitSet();

    public Sampler(SamplerSettings settings) {
        this.settings = settings;
        this.random = RandomGeneratorFactory.of("L64X128MixRandom").create(settings.seed());
    }

    public SamplerSettings settings() {
        return settings;
    }

    /** Picks a token from the logits of the next position and records it for the penalties. */
    public int sample(float[] logits) {
        double[] penalized = penalized(logits);
        int token = settings.isGreedy() ? argmax(penalized) : draw(filteredProbabilities(penalized));
        record(token);
        return token;
    }

    /** Counts a token as generated without sampling it (for example text the caller forced into the reply). */
    public void record(int token) {
        penalty.record(token, settings.penaltyDecay());
    }

    /**
     * Never picks these ids again (ChatRWKV's {@code token_ban}): its chat bans end of text, and a vocabulary
     * smaller than the model's output (World: 65,530 ids, 65,536 logits) should ban the ids it cannot decode.
     */
    public void ban(int... ids) {
        for (int id : ids) banned.set(id);
    }

    /** Forgets the generated tokens, as ChatRWKV does at the start of each reply; the random stream goes on. */
    public void resetPenalties() {
        penalty.clear();
    }

    /** The decayed occurrence count of a token. */
    public double occurrences(int token) {
        return penalty.count(token);
    }

    /** The distribution {@link #sample} would draw from now (all mass on one token when greedy). */
    public double[] distribution(float[] logits) {
        double[] penalized = penalized(logits);
        if (!settings.isGreedy()) return filteredProbabilities(penalized);
        double[] oneHot = new double[logits.length];
        oneHot[argmax(penalized)] = 1;
        return oneHot;
    }

    /** The logits after the repetition penalties, banned ids at -infinity. */
    double[] penalized(float[] logits) {
        if (logits.length == 0) throw new IllegalArgumentException("no logits");
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            if (Float.isNaN(logits[i])) throw new IllegalArgumentException("logit " + i + " is NaN");
            out[i] = logits[i];
        }
        if (settings.hasPenalties()) penalty.apply(out, settings.presencePenalty(), settings.frequencyPenalty());
        for (int id = banned.nextSetBit(0); id >= 0 && id < out.length; id = banned.nextSetBit(id + 1)) {
            out[id] = Double.NEGATIVE_INFINITY;
        }
        if (out[argmax(out)] == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("every token is banned or has logit -infinity");
        }
        return out;
    }

    private double[] filteredProbabilities(double[] logits) {
        double[] probs = softmax(logits);
        if (settings.topP() < 1 || settings.topK() > 0) keepMostLikely(probs);
        if (settings.temperature() != 1) {
            double exponent = 1 / settings.temperature();
            for (int i = 0; i < probs.length; i++) if (probs[i] > 0) probs[i] = Math.pow(probs[i], exponent);
        }
        double sum = 0;
        for (double p : probs) sum += p;
        if (!(sum > 0) || Double.isInfinite(sum)) {
            // A temperature so low that every kept p^(1/T) under- or overflowed: the limit is the most likely token.
            int best = argmax(logits);
            Arrays.fill(probs, 0);
            probs[best] = 1;
            return probs;
        }
        for (int i = 0; i < probs.length; i++) probs[i] /= sum;
        return probs;
    }

    /** Zeroes every probability that top-p or top-k removes. */
    private void keepMostLikely(double[] probs) {
        int[] order = descendingCandidates(probs);
        double cutoff = 0;
        if (settings.topP() < 1) {
            double cumulative = 0;
            for (int id : order) {
                cumulative += probs[id];
                if (cumulative >= settings.topP()) {
                    cutoff = probs[id];
                    break;
                }
            }
        }
        boolean[] keep = new boolean[probs.length];
        int limit = settings.topK() > 0 ? Math.min(settings.topK(), order.length) : order.length;
        for (int rank = 0; rank < limit; rank++) keep[order[rank]] = probs[order[rank]] >= cutoff;
        for (int i = 0; i < probs.length; i++) if (!keep[i]) probs[i] = 0;
    }

    /**
     * Ids ordered by probability, highest first, ties by id. Sorting all 65k probabilities per token is the slow
     * part, so only the tokens above a floor are sorted, with the floor as high as leaves the result unchanged:
     * when the tokens above it reach top-p the cut-off lies among them, and when there are top-k of them the rest
     * would be cut anyway.
     */
    private int[] descendingCandidates(double[] probs) {
        double max = 0;
        for (double p : probs) max = Math.max(max, p);
        double floor = 0;
        for (double fraction : CANDIDATE_FLOORS) {
            double mass = 0;
            int count = 0;
            for (double p : probs) {
                if (p >= max * fraction) {
                    mass += p;
                    count++;
                }
            }
            if ((settings.topP() < 1 && mass >= settings.topP()) || (settings.topK() > 0 && count >= settings.topK())) {
                floor = max * fraction;
                break;
            }
        }
        long[] keys = new long[probs.length];
        int n = 0;
        for (int id = 0; id < probs.length; id++) if (probs[id] >= floor) keys[n++] = sortKey(probs[id], id);
        Arrays.sort(keys, 0, n);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = (int) keys[i];
        return order;
    }

    /** Sorts ascending by descending probability then ascending id: non-negative doubles order as their bits. */
    private static long sortKey(double p, int id) {
        long bits = Float.floatToRawIntBits((float) p);
        return ((Integer.MAX_VALUE - bits) << 32) | id;
    }

    private int draw(double[] probs) {
        double u = random.nextDouble();
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < probs.length; i++) {
            if (probs[i] == 0) continue;
            cumulative += probs[i];
            last = i;
            if (u < cumulative) return i;
        }
        return last; // rounding left the sum a hair below u
    }

    private static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) max = Math.max(max, l);
        double[] probs = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            probs[i] = Math.exp(logits[i] - max);
            sum += probs[i];
        }
        for (int i = 0; i < probs.length; i++) probs[i] /= sum;
        return probs;
    }

    private static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
