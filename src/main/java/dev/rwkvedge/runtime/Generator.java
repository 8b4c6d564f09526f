package dev.rwkvedge.runtime;

import dev.rwkvedge.runtime.sampling.Sampler;
import dev.rwkvedge.runtime.sampling.SamplerSettings;
import dev.rwkvedge.runtime.sampling.StopSequences;
import dev.rwkvedge.tokenizer.TokenDecoder;
import dev.rwkvedge.tokenizer.Tokenizer;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Streams text from a model: prompt in sequence mode, then one sampled token at a time until a stop. */
public final class Generator {
    /** Why generation ended. */
    public enum Stop { MAX_TOKENS, END_OF_TEXT, STOP_SEQUENCE, CANCELLED }

    public record Result(String text, int promptTokens, int generatedTokens, double promptSeconds,
                         double generateSeconds, Stop stop) {
        public double promptTokensPerSecond() {
            return promptSeconds > 0 ? promptTokens / promptSeconds : 0;
        }

        public double tokensPerSecond() {
            return generateSeconds > 0 ? generatedTokens / generateSeconds : 0;
        }
    }

    private final RwkvModel model;
    private final Tokenizer tokenizer;

    public Generator(RwkvModel model, Tokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    /**
     * Generates up to {@code maxTokens} after the prompt, handing each completed piece of text to {@code onText}.
     * Token 0 ends the text for vocabularies that reserve it (World); stop strings are never emitted.
     */
    public Result generate(String prompt, int maxTokens, SamplerSettings settings, List<String> stops,
                           Consumer<String> onText, BooleanSupplier cancelled) {
        int[] promptIds = tokenizer.encode(prompt);
        if (promptIds.length == 0) promptIds = new int[] {0};
        RwkvState state = model.newState();
        long t0 = System.nanoTime();
        float[] logits = model.forwardSequence(promptIds, state, false);
        double promptSeconds = (System.nanoTime() - t0) / 1e9;
        Sampler sampler = new Sampler(settings);
        // the World vocabulary has 65,530 ids but the head 65,536 logits: never pick one that has no text
        for (int id = tokenizer.vocabularySize(); id < model.config().vocab(); id++) sampler.ban(id);
        StopSequences stopper = new StopSequences(stops);
        TokenDecoder decoder = tokenizer.streamDecoder();
        StringBuilder text = new StringBuilder();
        boolean zeroEnds = tokenizer.vocabularySize() > 256;
        Stop why = Stop.MAX_TOKENS;
        int n = 0;
        long g0 = System.nanoTime();
        while (n < maxTokens) {
            if (cancelled.getAsBoolean()) {
                why = Stop.CANCELLED;
                break;
            }
            int tok = sampler.sample(logits);
            n++;
            if (tok == 0 && zeroEnds) {
                why = Stop.END_OF_TEXT;
                break;
            }
            StopSequences.Step step = stopper.append(decoder.accept(tok));
            emit(step.emit(), text, onText);
            if (step.stopped()) {
                why = Stop.STOP_SEQUENCE;
                break;
            }
            if (n < maxTokens) model.forward(tok, state, logits);
        }
        if (why != Stop.STOP_SEQUENCE) {
            emit(stopper.append(decoder.flush()).emit(), text, onText);
            emit(stopper.finish(), text, onText);
        }
        double genSeconds = (System.nanoTime() - g0) / 1e9;
        return new Result(text.toString(), promptIds.length, n, promptSeconds, genSeconds, why);
    }

    private static void emit(String s, StringBuilder text, Consumer<String> onText) {
        if (s.isEmpty()) return;
        text.append(s);
        onText.accept(s);
    }
}
