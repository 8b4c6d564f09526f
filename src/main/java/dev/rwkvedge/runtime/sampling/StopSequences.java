package dev.rwkvedge.runtime.sampling;

import java.util.List;

/**
 * Watches generated text for stop strings (such as {@code "\n\nUser:"}) as it streams out. Text that could still be
 * the beginning of a stop string is held back, so a caller that prints only {@link Step#emit()} never shows part of a
 * stop string, and the stop string itself is never emitted. Not thread-safe: one instance per generation.
 */
public final class StopSequences {
    /**
     * What one piece of text gave.
     *
     * @param emit text that is now safe to show
     * @param stop the stop string that appeared, or null while generation may go on
     */
    public record Step(String emit, String stop) {
        public boolean stopped() {
            return stop != null;
        }
    }

    private final List<String> stops;
    private final StringBuilder held = new StringBuilder();
    private String stoppedBy;

    public StopSequences(List<String> stops) {
        for (String s : stops) {
            if (s == null || s.isEmpty()) throw new IllegalArgumentException("a stop string must not be empty");
        }
        this.stops = List.copyOf(stops);
    }

    public static StopSequences of(String... stops) {
        return new StopSequences(List.of(stops));
    }

    public List<String> stops() {
        return stops;
    }

    /**
     * Adds newly generated text. Once a stop string has appeared, the text before it is emitted, everything from
     * the stop string on is dropped, and later calls emit nothing.
     */
    public Step append(String text) {
        if (stoppedBy != null) return new Step("", stoppedBy);
        held.append(text);
        int bestStart = -1;
        String best = null;
        for (String stop : stops) {
            int at = held.indexOf(stop);
            // The earliest occurrence wins; at the same place the longer string, so "\n\nUser:" beats "\n\n".
            if (at >= 0 && (best == null || at < bestStart || (at == bestStart && stop.length() > best.length()))) {
                bestStart = at;
                best = stop;
            }
        }
        if (best != null) {
            stoppedBy = best;
            String emit = held.substring(0, bestStart);
            held.setLength(0);
            return new Step(emit, best);
        }
        int keep = longestSuffixThatStartsAStop();
        String emit = held.substring(0, held.length() - keep);
        held.delete(0, held.length() - keep);
        return new Step(emit, null);
    }

    /** Ends generation without a stop: returns the held-back text, which turned out not to be a stop string. */
    public String finish() {
        String rest = stoppedBy != null ? "" : held.toString();
        held.setLength(0);
        return rest;
    }

    /** Whether a stop string has appeared. */
    public boolean stopped() {
        return stoppedBy != null;
    }

    /** Starts over for a new generation with the same stop strings. */
    public void reset() {
        held.setLength(0);
        stoppedBy = null;
    }

    private int longestSuffixThatStartsAStop() {
        int longest = 0;
        for (String stop : stops) {
            int max = Math.min(stop.length() - 1, held.length());
            for (int length = max; length > longest; length--) {
                if (endsWithStart(stop, length)) {
                    longest = length;
                    break;
                }
            }
        }
        return longest;
    }

    /** Whether the held text ends with the first {@code length} characters of the stop string. */
    private boolean endsWithStart(String stop, int length) {
        int offset = held.length() - length;
        for (int i = 0; i < length; i++) {
            if (held.charAt(offset + i) != stop.charAt(i)) return false;
        }
        return true;
    }
}
