package dev.rwkvedge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rwkvedge.Reference;
import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.io.Checkpoints;
import dev.rwkvedge.model.ConfigDetector;
import dev.rwkvedge.io.Generation;
import dev.rwkvedge.model.ModelConfig;
import dev.rwkvedge.model.ModelLoader;
import dev.rwkvedge.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * BlinkDL's RWKV-7 that reverses digit strings (RWKV-LM/RWKV-v8/260123_reverse_L2_only_rwkv7.pth, reference README
 * section 7), read by our .pth reader and run by our v7 blocks. Its upstream script reports 100% accuracy.
 */
class DigitReversalTest {

    /** Maps the checkpoint's own names onto BlinkDL's usual ones; ROSA's constant output becomes an output bias. */
    static Checkpoint adapt(Checkpoint ck) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Tensor t : ck.tensors().values()) {
            String n = t.name();
            String m = null;
            if (n.equals("e.weight")) m = "emb.weight";
            else if (n.equals("o.weight")) m = "head.weight";
            else if (n.equals("o.bias")) m = "head.bias";
            else if (n.startsWith("lno.")) m = "ln_out." + n.substring(4);
            else if (n.matches("ln\\d[ab]\\..*")) {
                int layer = n.charAt(2) - '1';
                m = "blocks." + layer + (n.charAt(3) == 'a' ? ".ln1." : ".ln2.") + n.substring(5);
            } else if (n.matches("rwkv\\d\\..*")) m = "blocks." + (n.charAt(4) - '1') + ".att." + n.substring(6);
            else if (n.matches("ffn\\d\\..*")) m = "blocks." + (n.charAt(3) - '1') + ".ffn." + n.substring(5);
            else if (n.matches("rosa\\d\\.o\\.bias")) m = "blocks." + (n.charAt(4) - '1') + ".att.output.bias";
            if (m != null) out.put(m, t.withName(m));
        }
        return new Checkpoint(ck.path(), ck.format(), out, ck.metadata(), Optional.empty(), Optional.empty(), null);
    }

    @Test
    void reversesDigitStrings() throws Exception {
        try (Checkpoint raw = Checkpoints.open(Reference.file("RWKV-LM/RWKV-v8/260123_reverse_L2_only_rwkv7.pth"))) {
            assertEquals(99, raw.tensors().size());
            Checkpoint ck = adapt(raw);
            ModelConfig cfg = ConfigDetector.detect(ck);
            assertEquals(Generation.V7, cfg.generation());
            assertEquals(2, cfg.layers());
            assertEquals(32, cfg.embd());
            assertEquals(12, cfg.vocab());
            assertEquals(16, cfg.headSize());
            RwkvModel model = ModelLoader.load(ck, cfg);
            SplittableRandom rnd = new SplittableRandom(2026);
            int checked = 0;
            for (int trial = 0; trial < 20; trial++) {
                int len = 1 + rnd.nextInt(60);
                StringBuilder digits = new StringBuilder().append((char) ('1' + rnd.nextInt(9)));
                while (digits.length() < len) digits.append((char) ('0' + rnd.nextInt(10)));
                String text = digits + "," + new StringBuilder(digits).reverse() + "#";
                int[] tokens = text.chars().map(c -> c == ',' ? 10 : c == '#' ? 11 : c - '0').toArray();
                float[] logits = model.forwardSequence(tokens, model.newState(), true);
                for (int t = len; t < tokens.length - 1; t++) {
                    int best = 0;
                    for (int i = 1; i < 12; i++) if (logits[t * 12 + i] > logits[t * 12 + best]) best = i;
                    assertEquals(tokens[t + 1], best, "position " + t + " of " + text);
                    checked++;
                }
            }
            assertEquals(true, checked > 20 * 2);
        }
    }
}
