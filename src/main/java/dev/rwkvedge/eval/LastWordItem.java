package dev.rwkvedge.eval;

/**
 * One LAMBADA-style passage split into the context and the final word to predict, as lm-evaluation-harness's
 * lambada_openai does: context = everything before the last space, continuation = " " + the last word.
 */
public record LastWordItem(String context, String continuation) {

    public LastWordItem {
        if (context.isBlank()) throw new IllegalArgumentException("the context before the last word is empty");
        if (continuation.isEmpty()) throw new IllegalArgumentException("the last word is empty");
    }

    /**
     * Splits a passage at its last space. Trailing whitespace is dropped first (a passage read from a file may end
     * in a newline, which would otherwise become part of the "word").
     *
     * @throws IllegalArgumentException when the passage has fewer than two space-separated words
     */
    public static LastWordItem fromPassage(String text) {
        String t = text.stripTrailing();
        int space = t.lastIndexOf(' ');
        if (space <= 0 || space == t.length() - 1) {
            throw new IllegalArgumentException("expected a passage of at least two space-separated words");
        }
        return new LastWordItem(t.substring(0, space), t.substring(space));
    }
}
