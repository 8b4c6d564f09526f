package dev.rwkvedge.eval;

import dev.rwkvedge.tokenizer.Tokenizer;
import java.util.Arrays;

/**
 * A context and the continuation to score after it, as token ids, split the way lm-evaluation-harness does
 * ({@code _encode_pair}): trailing whitespace of the context moves to the continuation, then the continuation's
 * tokens are those of {@code encode(context + continuation)} beyond {@code encode(context)}, so a word is tokenized
 * as it would be in running text (" word", not " " + "word").
 *
 * <p>Where the whole text's tokens do not start with the context's (a greedy tokenizer may merge across the
 * boundary) the continuation is encoded on its own instead: the context's tokens must stay the same for every
 * continuation, because the evaluators run the context once and fork its state.
 */
public record ContextPair(int[] context, int[] continuation) {

    public static ContextPair encode(Tokenizer tokenizer, String context, String continuation) {
        String trimmed = context.stripTrailing();
        String moved = context.substring(trimmed.length()) + continuation;
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("empty context before \"" + shorten(continuation)
                    + "\": an RNN without a start token has nothing to predict the first token from");
        }
        if (moved.isEmpty()) throw new IllegalArgumentException("empty continuation after \"" + shorten(context) + "\"");
        int[] ctx = tokenizer.encode(trimmed);
        int[] whole = tokenizer.encode(trimmed + moved);
        boolean prefix = whole.length > ctx.length && Arrays.equals(whole, 0, ctx.length, ctx, 0, ctx.length);
        return new ContextPair(ctx, prefix ? Arrays.copyOfRange(whole, ctx.length, whole.length) : tokenizer.encode(moved));
    }

    /** {@link #encode(Tokenizer, String, String)} for the item at {@code index}, which a failure names. */
    static ContextPair encode(Tokenizer tokenizer, String context, String continuation, int index) {
        try {
            return encode(tokenizer, context, continuation);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("item " + (index + 1) + ": " + e.getMessage(), e);
        }
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
