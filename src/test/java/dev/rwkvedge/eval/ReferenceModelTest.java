package dev.rwkvedge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.runtime.RwkvState;
import dev.rwkvedge.task.ProgressListener;
import dev.rwkvedge.tokenizer.ByteTokenizer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each evaluator on rwkv.cpp's tiny byte-level test model, checked against the same quantity computed here from raw
 * logits of {@link RwkvModel#forward}, one token at a time, with no evaluator code involved.
 */
class ReferenceModelTest {
    private static final ByteTokenizer BYTES = new ByteTokenizer();
    private static LoadedModel loaded;
    private static RwkvModel rwkv;
    private static LanguageModel model;

    @BeforeAll
    static void open() throws Exception {
        loaded = LoadedModel.open(Reference.file("rwkv.cpp/tests/tiny-rwkv-5v2-730K-FP32.bin"));
        rwkv = loaded.model();
        model = new RwkvLanguageModel(rwkv);
    }

    @AfterAll
    static void close() {
        if (loaded != null) loaded.close();
    }

    /** log-softmax of one row, written out here so the check shares no code with the evaluators. */
    private static double[] logSoftmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float v : logits) max = Math.max(max, v);
        for (float v : logits) sum += Math.exp(v - max);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) out[i] = logits[i] - max - Math.log(sum);
        return out;
    }

    private static int argmax(double[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
        return best;
    }

    /** {summed log-likelihood, 1 if every token is the argmax else 0} of cont after ctx, from a fresh state. */
    private static double[] scoreByHand(int[] ctx, int[] cont) {
        RwkvState s = rwkv.newState();
        float[] logits = null;
        for (int t : ctx) logits = rwkv.forward(t, s);
        double ll = 0;
        boolean greedy = true;
        for (int t : cont) {
            double[] lp = logSoftmax(logits);
            ll += lp[t];
            greedy &= argmax(lp) == t;
            logits = rwkv.forward(t, s);
        }
        return new double[] {ll, greedy ? 1 : 0};
    }

    @Test
    void perplexityEqualsExpMeanNllOfTokenByTokenLogits() {
        String text = "In the beginning God created the heaven and the earth. And the earth was without form, and void.";
        int[] tokens = BYTES.encode(text);
        RwkvState s = rwkv.newState();
        double nll = 0;
        for (int i = 0; i + 1 < tokens.length; i++) nll -= logSoftmax(rwkv.forward(tokens[i], s))[tokens[i + 1]];
        int n = tokens.length - 1;
        EvalResult r = Perplexity.evaluate(model, BYTES, text, 0, ProgressListener.NONE);
        assertEquals(Math.exp(nll / n), r.metric("perplexity"), 1e-5 * Math.exp(nll / n));
        assertEquals(nll / n / Math.log(2), r.metric("bits_per_byte"), 1e-5);
        assertTrue(r.metric("perplexity") > 1 && r.metric("perplexity") < 256, "a trained model beats uniform");
    }

    @Test
    void lastWordMatchesTokenByTokenGreedyDecoding() {
        List<LastWordItem> items = List.of(LastWordItem.fromPassage("The quick brown fox jumps over the lazy dog"),
                LastWordItem.fromPassage("Hello, my name is"), LastWordItem.fromPassage("one two three four five"));
        double ll = 0, correct = 0;
        for (LastWordItem it : items) {
            double[] s = scoreByHand(BYTES.encode(it.context()), BYTES.encode(it.continuation()));
            ll += s[0];
            correct += s[1];
        }
        EvalResult r = LastWordAccuracy.evaluate(model, BYTES, items, ProgressListener.NONE);
        assertEquals(correct / items.size(), r.metric("accuracy"));
        assertEquals(Math.exp(-ll / items.size()), r.metric("perplexity"), 1e-5 * r.metric("perplexity"));
    }

    @Test
    void multipleChoiceFromAForkedStateMatchesFreshRunsPerChoice() {
        List<ChoiceItem> items = List.of(new ChoiceItem("The sky is", List.of(" blue", " made of cheese", " x"), 0),
                new ChoiceItem("Once upon a", List.of(" time", " banana", " the end of everything"), 0));
        int acc = 0, accNorm = 0;
        for (ChoiceItem it : items) {
            double best = Double.NEGATIVE_INFINITY, bestNorm = Double.NEGATIVE_INFINITY;
            int pick = -1, pickNorm = -1;
            for (int c = 0; c < it.choices().size(); c++) {
                String choice = it.choices().get(c);
                double ll = scoreByHand(BYTES.encode(it.context()), BYTES.encode(choice))[0];
                if (ll > best) { best = ll; pick = c; }
                if (ll / choice.length() > bestNorm) { bestNorm = ll / choice.length(); pickNorm = c; }
            }
            if (pick == it.gold()) acc++;
            if (pickNorm == it.gold()) accNorm++;
        }
        EvalResult r = MultipleChoice.evaluate(model, BYTES, items, ProgressListener.NONE);
        assertEquals(acc / 2.0, r.metric("acc"));
        assertEquals(accNorm / 2.0, r.metric("acc_norm"));
    }

    @Test
    void agreementWithItselfIsPerfectAndWithUniformIsLogVMinusEntropy() {
        int[] tokens = BYTES.encode("And God said, Let there be light: and there was light. And God saw the light, "
                + "that it was good.");
        EvalResult self = Agreement.evaluate(model, model, tokens, ProgressListener.NONE);
        assertEquals(0.0, self.metric("mean_kl"));
        assertEquals(1.0, self.metric("top1_agreement"));

        RwkvState s = rwkv.newState();
        double sum = 0, max = 0;
        for (int t : tokens) {
            double[] lp = logSoftmax(rwkv.forward(t, s));
            double entropy = 0;
            for (double v : lp) entropy -= Math.exp(v) * v;
            double kl = Math.log(256) - entropy;
            sum += kl;
            max = Math.max(max, kl);
        }
        EvalResult r = Agreement.evaluate(model, FixtureModel.uniform(256), tokens, ProgressListener.NONE);
        assertEquals(sum / tokens.length, r.metric("mean_kl"), 1e-5);
        assertEquals(max, r.metric("max_kl"), 1e-5);
    }
}
