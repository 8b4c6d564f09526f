package dev.rwkvedge.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.task.CancelledException;
import dev.rwkvedge.task.ProgressListener;
import dev.rwkvedge.tokenizer.ByteTokenizer;
import dev.rwkvedge.tokenizer.GgufVocabularyTokenizer;
import dev.rwkvedge.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every evaluator on fixture models whose answers are worked out by hand in the comments. */
class ClosedFormTest {
    private static final Tokenizer BYTES = new ByteTokenizer();
    private static final double LN256 = Math.log(256);

    /** 256 single bytes (ids = byte values), then "hello" = 256 and " world" = 257. */
    private static Tokenizer wordsAndBytes() {
        List<byte[]> tokens = new ArrayList<>();
        for (int b = 0; b < 256; b++) tokens.add(new byte[] {(byte) b});
        tokens.add("hello".getBytes(StandardCharsets.UTF_8));
        tokens.add(" world".getBytes(StandardCharsets.UTF_8));
        return new GgufVocabularyTokenizer("words", tokens, Set.of());
    }

    @Test
    void uniformModelHasPerplexityVAndEightBitsPerByte() {
        String text = "x".repeat(200); // 199 scored tokens: four windows
        EvalResult r = Perplexity.evaluate(FixtureModel.uniform(256), BYTES, text, 0, ProgressListener.NONE);
        assertEquals(256, r.metric("perplexity"), 1e-9);
        assertEquals(LN256, r.metric("cross_entropy"), 1e-12);
        assertEquals(8, r.metric("bits_per_byte"), 1e-12);
        assertEquals(199, r.metric("scored_tokens"));
        assertEquals(4, r.items());
    }

    @Test
    void bitsPerByteCountTheBytesOfTheScoredTokens() {
        // "hello world hello" -> [hello][ world][ ][hello]; scored: " world" (6) + " " (1) + "hello" (5) = 12 bytes
        Tokenizer tok = wordsAndBytes();
        assertArrayEquals(new int[] {256, 257, ' ', 256}, tok.encode("hello world hello"));
        EvalResult r = Perplexity.evaluate(FixtureModel.uniform(258), tok, "hello world hello", 0, ProgressListener.NONE);
        assertEquals(258, r.metric("perplexity"), 1e-9);
        assertEquals(12, r.metric("bytes"));
        assertEquals(3 * Math.log(258) / Math.log(2) / 12, r.metric("bits_per_byte"), 1e-12);
    }

    @Test
    void perplexityCarriesTheStateAcrossWindows() {
        // the oracle knows the whole 150-byte text, but only if it sees all of the history: every token is a hit
        String text = "In the beginning God created the heaven and the earth. ".repeat(3).substring(0, 150);
        double hit = FixtureModel.oracleHit(12);
        EvalResult r = Perplexity.evaluate(FixtureModel.oracle(12, text), BYTES, text, 0, ProgressListener.NONE);
        assertEquals(1 / hit, r.metric("perplexity"), 1e-9);
        EvalResult limited = Perplexity.evaluate(FixtureModel.oracle(12, text), BYTES, text, 10, ProgressListener.NONE);
        assertEquals(9, limited.metric("scored_tokens"));
    }

    @Test
    void documentsStartFromAFreshStateAndDropTheirSeparators() {
        // documents "ab", "cd", "\nef" (a third newline stays with the next document), each known to the oracle
        // from its own start: 1 + 1 + 2 scored tokens, all hits; as one stream the oracle is lost after "ab"
        String text = "\nab\n\ncd\n\n\nef\n";
        assertEquals(List.of("ab", "cd", "\nef"), Perplexity.documents(text));
        double hit = FixtureModel.oracleHit(12);
        EvalResult r = Perplexity.evaluate(FixtureModel.oracle(12, "ab", "cd", "\nef"), BYTES, text,
                Perplexity.Segmentation.DOCUMENTS, 0, ProgressListener.NONE);
        assertEquals(1 / hit, r.metric("perplexity"), 1e-9);
        assertEquals(4, r.metric("scored_tokens"));
        assertEquals(4, r.metric("bytes"));
        assertEquals(3, r.metric("documents"));
        // a budget of 5 tokens: "ab" (2) and "cd" (2); one token left scores nothing
        EvalResult limited = Perplexity.evaluate(FixtureModel.oracle(12, "ab", "cd", "\nef"), BYTES, text,
                Perplexity.Segmentation.DOCUMENTS, 5, ProgressListener.NONE);
        assertEquals(2, limited.metric("documents"));
        assertTrue(Perplexity.evaluate(FixtureModel.oracle(12, "ab", "cd", "\nef"), BYTES, text, 0,
                ProgressListener.NONE).metric("perplexity") > 2);
    }

    @Test
    void lastWordAccuracyAndWordPerplexity() {
        // the oracle reproduces "the cat sat" and "a dog rat" byte for byte; the second passage ends in "ran"
        List<LastWordItem> items = List.of(LastWordItem.fromPassage("the cat sat"), LastWordItem.fromPassage("a dog ran\n"));
        assertEquals(new LastWordItem("a dog", " ran"), items.get(1));
        double L = 9, hit = FixtureModel.oracleHit(L), miss = 1 / (Math.exp(L) + 255);
        EvalResult r = LastWordAccuracy.evaluate(FixtureModel.oracle((float) L, "the cat sat", "a dog rat"), BYTES,
                items, ProgressListener.NONE);
        assertEquals(0.5, r.metric("accuracy"));
        // " sat": four hits; " ran": " ", "r", "a" hit, "n" (the oracle wants "t") misses
        double ll1 = 4 * Math.log(hit), ll2 = 3 * Math.log(hit) + Math.log(miss);
        assertEquals(Math.exp(-(ll1 + ll2) / 2), r.metric("perplexity"), 1e-9);
        // tokens fed: 7 + 3 and 5 + 3
        assertEquals(18, r.tokens());
    }

    @Test
    void perfectModelHasWordPerplexityNearOne() {
        EvalResult r = LastWordAccuracy.evaluate(FixtureModel.oracle(30, "to be or not to be"), BYTES,
                List.of(LastWordItem.fromPassage("to be or not to be")), ProgressListener.NONE);
        assertEquals(1.0, r.metric("accuracy"));
        assertEquals(1.0, r.metric("perplexity"), 1e-9);
    }

    @Test
    void accAndAccNormDifferWhenLengthDecides() {
        // uniform everywhere except: after ' ' 'b' has logit ln 255 (p = 1/2, p('a') = 1/510); after 'a' 'a' has
        // logit ln(255 * 99) (p = 0.99). Context "x".
        // " aaaa": ln(1/256) + ln(1/510) + 3 ln 0.99 = -11.81, per character (5) -2.36
        // " b":    ln(1/256) + ln(1/2)               = -6.24,  per character (2) -3.12
        // so acc picks " b", acc_norm picks " aaaa" (the gold answer)
        FixtureModel model = FixtureModel.bigram(prev -> {
            float[] row = new float[256];
            if (prev == ' ') row['b'] = (float) Math.log(255);
            else if (prev == 'a') row['a'] = (float) Math.log(255 * 99);
            else return null;
            return row;
        });
        double longLl = -LN256 + Math.log(1 / 510.0) + 3 * Math.log(0.99), shortLl = -LN256 + Math.log(0.5);
        assertTrue(shortLl > longLl && longLl / 5 > shortLl / 2);
        ChoiceItem item = new ChoiceItem("x", List.of(" aaaa", " b"), 0);
        EvalResult r = MultipleChoice.evaluate(model, BYTES, List.of(item), ProgressListener.NONE);
        assertEquals(0.0, r.metric("acc"));
        assertEquals(1.0, r.metric("acc_norm"));
        // the context runs once: 1 token, then 4 + 1 continuation tokens less the last of each
        assertEquals(1 + 4 + 1, r.tokens());
    }

    @Test
    void choicesContinueFromForksOfOneContextState() {
        // the oracle knows only "Q: yes"; each choice must see exactly the context, not an earlier choice
        FixtureModel model = FixtureModel.oracle(10, "Q: yes");
        List<ChoiceItem> items = List.of(new ChoiceItem("Q:", List.of(" no", " yes"), 1),
                new ChoiceItem("Q:", List.of("yes", "no"), 0)); // a space is put between, as lm-eval's delimiter
        EvalResult r = MultipleChoice.evaluate(model, BYTES, items, ProgressListener.NONE);
        assertEquals(1.0, r.metric("acc"));
        assertEquals(1.0, r.metric("acc_norm"));
    }

    @Test
    void agreementOfAnOracleWithAUniformModelIsLogVMinusEntropy() {
        // 5 positions, the first 4 inside the known text: p = (hit, (1 - hit)/255 ...); the last one uniform
        double L = 5, hit = FixtureModel.oracleHit(L), rest = (1 - hit) / 255;
        double entropy = -hit * Math.log(hit) - 255 * rest * Math.log(rest);
        int[] tokens = BYTES.encode("abcde");
        EvalResult r = Agreement.evaluate(FixtureModel.oracle((float) L, "abcde"), FixtureModel.uniform(256), tokens,
                ProgressListener.NONE);
        assertEquals(4 * (LN256 - entropy) / 5, r.metric("mean_kl"), 1e-6);
        assertEquals(LN256 - entropy, r.metric("max_kl"), 1e-6);
        // uniform's argmax is token 0 (first of a tie), so is the oracle's at the last position only
        assertEquals(1 / 5.0, r.metric("top1_agreement"));
    }

    @Test
    void agreementOfAModelWithItselfIsExact() {
        FixtureModel m = FixtureModel.oracle(3, "some text");
        EvalResult r = Agreement.evaluate(m, m, BYTES.encode("some text that runs on"), ProgressListener.NONE);
        assertEquals(0.0, r.metric("mean_kl"));
        assertEquals(0.0, r.metric("max_kl"));
        assertEquals(1.0, r.metric("top1_agreement"));
    }

    @Test
    void anItemTheTokenizerCannotEncodeIsNamed() {
        // a vocabulary without the byte 'z': greedy tokenization fails on it
        List<byte[]> tokens = new ArrayList<>();
        for (int b = 0; b < 'z'; b++) tokens.add(new byte[] {(byte) b});
        Tokenizer noZ = new GgufVocabularyTokenizer("no z", tokens, Set.of());
        List<LastWordItem> items = List.of(LastWordItem.fromPassage("a b"), LastWordItem.fromPassage("a z"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LastWordAccuracy.evaluate(FixtureModel.uniform('z'), noZ, items, ProgressListener.NONE));
        assertTrue(e.getMessage().startsWith("item 2: "), e.getMessage());
    }

    @Test
    void agreementRefusesMoreReferenceProbabilitiesThanAnArrayHolds() {
        // 300,000 x 8,192 float cells is over 2^31: refused before any model runs
        FixtureModel big = FixtureModel.uniform(8192);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Agreement.withReference(big, new int[300_000], ProgressListener.NONE));
        assertTrue(e.getMessage().contains("compare fewer tokens"), e.getMessage());
        assertEquals(0, big.fed);
    }

    @Test
    void nanLogitsFailInsteadOfScoring() {
        FixtureModel broken = FixtureModel.bigram(prev -> {
            float[] row = new float[256];
            row[prev] = Float.NaN;
            return row;
        });
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Perplexity.evaluate(broken, BYTES, "abc", 0, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void cancellationStopsBetweenUnitsOfWork() {
        ProgressListener cancelAfterFirst = new ProgressListener() {
            long done;

            @Override
            public void update(long d, long total, String message) {
                done = d;
            }

            @Override
            public boolean isCancelled() {
                return done >= 1;
            }
        };
        FixtureModel m = FixtureModel.uniform(256);
        assertThrows(CancelledException.class,
                () -> Perplexity.evaluate(m, BYTES, "y".repeat(500), 0, cancelAfterFirst));
        assertEquals(Windows.SIZE, m.fed);
        cancelAfterFirst.update(1, 2, "");
        List<LastWordItem> items = List.of(LastWordItem.fromPassage("a b"), LastWordItem.fromPassage("c d"));
        assertThrows(CancelledException.class, () -> LastWordAccuracy.evaluate(m, BYTES, items, cancelAfterFirst));
        assertThrows(CancelledException.class, () -> MultipleChoice.evaluate(m, BYTES,
                List.of(new ChoiceItem("a", List.of(" b", " c"), 0)), cancelAfterFirst));
        assertEquals(Windows.SIZE, m.fed);
    }
}
