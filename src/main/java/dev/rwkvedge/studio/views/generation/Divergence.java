package dev.rwkvedge.studio.views.generation;

/**
 * Where two generated texts stop agreeing: the length of their common prefix, and a little context on each side, so
 * the panes can mark the character where the compressed model first wrote something else.
 *
 * @param at     index of the first differing character, or -1 while one text is a prefix of the other
 * @param common up to {@link #CONTEXT} characters before that index, the same in both texts
 * @param dense  up to {@link #CONTEXT} characters of the dense text from that index
 * @param other  the same for the compressed text
 */
record Divergence(int at, String common, String dense, String other) {
    static final int CONTEXT = 24;
    static final Divergence NONE = new Divergence(-1, "", "", "");

    static Divergence of(String dense, String other) {
        int n = Math.min(dense.length(), other.length());
        int i = 0;
        while (i < n && dense.charAt(i) == other.charAt(i)) i++;
        if (i == n) return NONE;
        // a surrogate pair split at the difference would show half a character on each side
        if (i > 0 && Character.isHighSurrogate(dense.charAt(i - 1))) i--;
        return new Divergence(i, dense.substring(Math.max(0, i - CONTEXT), i),
                dense.substring(i, Math.min(dense.length(), i + CONTEXT)),
                other.substring(i, Math.min(other.length(), i + CONTEXT)));
    }

    boolean diverged() {
        return at >= 0;
    }
}
