package dev.rwkvedge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.task.ProgressListener;
import dev.rwkvedge.tokenizer.ByteTokenizer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The bootstrap interval of a perplexity: reproducible under its fixed seed, around the closed-form point estimate,
 * as wide as the normal theory says for independent units, and narrower with more tokens.
 */
class BootstrapTest {
    /** n independent NLLs, uniform on [0, 2]: mean 1, standard deviation 1/sqrt(3). */
    private static double[] uniformNll(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = 2 * r.nextDouble();
        return x;
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return s / x.length;
    }

    @Test
    void theFixedSeedReproducesTheIntervalAndAnotherSeedMovesItOnlyALittle() {
        double[] x = uniformNll(5000, 1);
        assertEquals(Bootstrap.perplexity(x, 1), Bootstrap.perplexity(x, 1));
        Bootstrap.Interval a = Bootstrap.perplexity(x, 1), b = Bootstrap.perplexity(x, 1, Bootstrap.REPLICATES, 7);
        assertEquals(a.high() - a.low(), b.high() - b.low(), 0.1 * (a.high() - a.low()));
    }

    @Test
    void independentUnitsGiveTheNormalTheoryWidthAroundTheClosedFormPoint() {
        double[] x = uniformNll(20000, 2);
        double m = mean(x), half = 1.959964 / Math.sqrt(3) / Math.sqrt(x.length);
        Bootstrap.Interval ci = Bootstrap.perplexity(x, 1);
        assertTrue(ci.contains(Math.exp(m)), ci + " holds exp(mean) " + Math.exp(m));
        // on the log scale the percentile interval of a mean of 20000 is mean +- 1.96 sd / sqrt(n), to a few percent
        assertEquals(m - half, Math.log(ci.low()), 0.06 * half);
        assertEquals(m + half, Math.log(ci.high()), 0.06 * half);
    }

    @Test
    void moreTokensNarrowTheInterval() {
        Bootstrap.Interval few = Bootstrap.perplexity(uniformNll(200, 3), 1);
        Bootstrap.Interval many = Bootstrap.perplexity(uniformNll(20000, 3), 1);
        double ratio = (few.high() - few.low()) / (many.high() - many.low());
        // width goes as 1 / sqrt(n): 100 times the tokens, about a tenth of the width
        assertEquals(10, ratio, 1.5);
    }

    @Test
    void blocksWidenTheIntervalOfCorrelatedTokens() {
        // runs of 64 equal NLLs: resampled one by one they look like 64 times the evidence they are
        double[] runs = uniformNll(200, 4), x = new double[200 * 64];
        for (int i = 0; i < x.length; i++) x[i] = runs[i / 64];
        Bootstrap.Interval single = Bootstrap.perplexity(x, 1), blocks = Bootstrap.perplexity(x, 64);
        assertEquals(8, (blocks.high() - blocks.low()) / (single.high() - single.low()), 1.5);
    }

    @Test
    void perplexityOfAUniformModelHasNoSpread() {
        // every token costs exactly ln 256: the interval is the point, 256
        EvalResult r = Perplexity.evaluate(FixtureModel.uniform(256), new ByteTokenizer(), "x".repeat(300), 0,
                ProgressListener.NONE);
        assertEquals(256, r.metric("perplexity_ci_low"), 1e-9);
        assertEquals(256, r.metric("perplexity_ci_high"), 1e-9);
    }

    @Test
    void perplexityReportsAnIntervalAroundItsPoint() {
        // the oracle knows the first half of the text: hits are cheap, the rest costs ln 256
        String known = "in the beginning was the word ".repeat(8);
        String text = known + "and the word was with the model ".repeat(8);
        EvalResult r = Perplexity.evaluate(FixtureModel.oracle(6, known), new ByteTokenizer(), text, 0,
                ProgressListener.NONE);
        double p = r.metric("perplexity");
        assertTrue(r.metric("perplexity_ci_low") < p && p < r.metric("perplexity_ci_high"), r.metrics().toString());
    }

    @Test
    void lastWordPerplexityHasAnIntervalOverPassages() {
        List<LastWordItem> items = List.of(LastWordItem.fromPassage("the cat sat"), LastWordItem.fromPassage("a dog ran"),
                LastWordItem.fromPassage("the cat ran"), LastWordItem.fromPassage("a dog sat"));
        EvalResult r = LastWordAccuracy.evaluate(FixtureModel.oracle(9, "the cat sat", "a dog rat"), new ByteTokenizer(),
                items, ProgressListener.NONE);
        double p = r.metric("perplexity");
        assertTrue(r.metric("perplexity_ci_low") <= p && p <= r.metric("perplexity_ci_high"), r.metrics().toString());
        assertTrue(r.metric("perplexity_ci_high") > r.metric("perplexity_ci_low"));
    }
}
