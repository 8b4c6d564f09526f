package dev.rwkvedge.runtime.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SamplerTest {
    /** Probabilities 0.1, 0.4, 0.3, 0.2 as logits: sorted 0.4, 0.3, 0.2, 0.1 with cumulative 0.4, 0.7, 0.9, 1. */
    private static final float[] FOUR = logits(0.1, 0.4, 0.3, 0.2);
    private static final double EPS = 1e-6;

    private static float[] logits(double... probs) {
        float[] out = new float[probs.length];
        for (int i = 0; i < probs.length; i++) out[i] = (float) Math.log(probs[i]);
        return out;
    }

    private static SamplerSettings settings(double temperature, double topP, int topK) {
        return new SamplerSettings(temperature, topP, topK, 0, 0, 1, 7);
    }

    private static double[] distribution(SamplerSettings s, float[] logits) {
        return new Sampler(s).distribution(logits);
    }

    @Test
    void topPKeepsTheTokensUntilTheCumulativeSumReachesIt() {
        assertArrayEquals(new double[] {0, 4 / 7.0, 3 / 7.0, 0}, distribution(settings(1, 0.65, 0), FOUR), EPS);
        assertArrayEquals(new double[] {0, 4 / 9.0, 3 / 9.0, 2 / 9.0}, distribution(settings(1, 0.75, 0), FOUR), EPS);
        assertArrayEquals(new double[] {0, 1, 0, 0}, distribution(settings(1, 0.3, 0), FOUR), EPS);
        assertArrayEquals(new double[] {0, 1, 0, 0}, distribution(settings(1, 0, 0), FOUR), EPS);
        assertArrayEquals(new double[] {0.1, 0.4, 0.3, 0.2}, distribution(settings(1, 1, 0), FOUR), EPS);
    }

    @Test
    void topKKeepsTheKMostLikely() {
        assertArrayEquals(new double[] {0, 4 / 7.0, 3 / 7.0, 0}, distribution(settings(1, 1, 2), FOUR), EPS);
        assertArrayEquals(new double[] {0, 4 / 9.0, 3 / 9.0, 2 / 9.0}, distribution(settings(1, 1, 3), FOUR), EPS);
        assertArrayEquals(new double[] {0, 4 / 7.0, 3 / 7.0, 0}, distribution(settings(1, 0.65, 3), FOUR), EPS);
        assertArrayEquals(new double[] {0.1, 0.4, 0.3, 0.2}, distribution(settings(1, 1, 9), FOUR), EPS);
    }

    @Test
    void temperatureRaisesTheKeptProbabilitiesToOneOverT() {
        assertArrayEquals(new double[] {0, 16 / 25.0, 9 / 25.0, 0}, distribution(settings(0.5, 0.65, 0), FOUR), EPS);
        double a = Math.sqrt(0.4);
        double b = Math.sqrt(0.3);
        assertArrayEquals(new double[] {0, a / (a + b), b / (a + b), 0}, distribution(settings(2, 0.65, 0), FOUR), EPS);
    }

    @Test
    void temperatureZeroOrTopKOneIsGreedy() {
        for (SamplerSettings s : new SamplerSettings[] {settings(0, 0.9, 0), settings(1.5, 1, 1), SamplerSettings.greedy()}) {
            Sampler sampler = new Sampler(s);
            for (int i = 0; i < 20; i++) assertEquals(1, sampler.sample(FOUR), s.toString());
        }
        assertEquals(0, new Sampler(SamplerSettings.greedy()).sample(new float[] {3, 3, 1}), "ties go to the lower id");
    }

    @Test
    void penaltiesSubtractPresencePlusDecayedCountTimesFrequency() {
        Sampler sampler = new Sampler(new SamplerSettings(1, 1, 0, 0.5, 0.25, 0.996, 1));
        sampler.record(3);
        sampler.record(3);
        assertEquals(1.996, sampler.occurrences(3), 1e-12, "1 decayed once, plus 1");
        sampler.record(2);
        assertEquals(1.996 * 0.996, sampler.occurrences(3), 1e-12);
        assertEquals(1, sampler.occurrences(2), 1e-12);
        assertEquals(0, sampler.occurrences(1));
        double[] penalized = sampler.penalized(new float[] {1, 1, 1, 1});
        assertArrayEquals(new double[] {1, 1, 1 - 0.75, 1 - (0.5 + 1.996 * 0.996 * 0.25)}, penalized, 1e-12);
        sampler.resetPenalties();
        assertArrayEquals(new double[] {1, 1, 1, 1}, sampler.penalized(new float[] {1, 1, 1, 1}), 0);
    }

    @Test
    void greedyWithPenaltiesMovesOffARepeatedToken() {
        Sampler sampler = new Sampler(new SamplerSettings(0, 1, 0, 0.2, 0.3, 1, 0));
        // Logits 2, 1.6: after one pick token 0 is at 2 - 0.5 = 1.5 < 1.6.
        assertEquals(0, sampler.sample(new float[] {2, 1.6f}));
        assertEquals(1, sampler.sample(new float[] {2, 1.6f}));
        // Now 0 has 1.5, 1 has 1.1: token 0 again, and its count is 2.
        assertEquals(0, sampler.sample(new float[] {2, 1.6f}));
        assertEquals(2, sampler.occurrences(0), 0);
    }

    @Test
    void sameSeedSameTokensAndFrequenciesFollowTheDistribution() {
        SamplerSettings s = settings(1, 0.75, 0);
        Sampler a = new Sampler(s);
        Sampler b = new Sampler(s);
        int[] counts = new int[4];
        int draws = 20_000;
        int[] first = new int[200];
        int[] second = new int[200];
        for (int i = 0; i < draws; i++) {
            int token = a.sample(FOUR);
            counts[token]++;
            int other = b.sample(FOUR);
            if (i < 200) {
                first[i] = token;
                second[i] = other;
            }
        }
        assertArrayEquals(first, second);
        assertEquals(0, counts[0], "cut by top-p");
        assertEquals(4 / 9.0, counts[1] / (double) draws, 0.015);
        assertEquals(3 / 9.0, counts[2] / (double) draws, 0.015);
        assertEquals(2 / 9.0, counts[3] / (double) draws, 0.015);
        Sampler c = new Sampler(new SamplerSettings(1, 0.75, 0, 0, 0, 1, 8));
        int[] third = IntStream.range(0, 200).map(i -> c.sample(FOUR)).toArray();
        assertNotEquals(Arrays.toString(first), Arrays.toString(third), "another seed, other tokens");
    }

    @Test
    void largeVocabularyMatchesAPlainSortOfEveryProbability() {
        Random r = new Random(3);
        float[] logits = new float[65_536];
        for (int i = 0; i < logits.length; i++) logits[i] = (float) (r.nextGaussian() * 3);
        for (double topP : new double[] {0.1, 0.5, 0.9, 0.999}) {
            for (int topK : new int[] {0, 40}) {
                double[] got = distribution(settings(1, topP, topK), logits);
                assertArrayEquals(bruteForce(logits, topP, topK), got, 1e-9, "topP " + topP + " topK " + topK);
            }
        }
    }

    /** The ChatRWKV rule written out directly: sort every token, cut by top-p, then by top-k. */
    private static double[] bruteForce(float[] logits, double topP, int topK) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) sum += p[i] = Math.exp(logits[i] - max);
        for (int i = 0; i < p.length; i++) p[i] /= sum;
        Integer[] order = IntStream.range(0, p.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -p[i]));
        double cumulative = 0;
        double cutoff = 0;
        for (int id : order) {
            cumulative += p[id];
            if (cumulative >= topP) {
                cutoff = p[id];
                break;
            }
        }
        double[] kept = new double[p.length];
        double keptSum = 0;
        for (int rank = 0; rank < order.length && (topK == 0 || rank < topK); rank++) {
            int id = order[rank];
            if (p[id] >= cutoff) keptSum += kept[id] = p[id];
        }
        for (int i = 0; i < kept.length; i++) kept[i] /= keptSum;
        return kept;
    }

    @Test
    void bannedTokensAreNeverPicked() {
        Sampler sampler = new Sampler(settings(1, 1, 0));
        sampler.ban(1, 2, 99);
        assertArrayEquals(new double[] {1 / 3.0, 0, 0, 2 / 3.0}, sampler.distribution(FOUR), EPS);
        for (int i = 0; i < 100; i++) {
            int token = sampler.sample(FOUR);
            assertTrue(token == 0 || token == 3, "picked " + token);
        }
        Sampler greedy = new Sampler(SamplerSettings.greedy());
        greedy.ban(1);
        assertEquals(2, greedy.sample(FOUR));
        greedy.ban(0, 2, 3);
        assertThrows(IllegalArgumentException.class, () -> greedy.sample(FOUR), "nothing left to pick");
    }

    @Test
    void settingsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new SamplerSettings(-1, 1, 0, 0, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplerSettings(1, 1.5, 0, 0, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplerSettings(1, 1, -1, 0, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplerSettings(1, 1, 0, Double.NaN, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplerSettings(1, 1, 0, 0, 0, 1.1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sampler(SamplerSettings.greedy()).sample(new float[] {Float.NaN}));
        assertEquals(new SamplerSettings(1.0, 0.3, 0, 0.5, 0.5, 0.996, 5), SamplerSettings.chat(5));
    }
}
