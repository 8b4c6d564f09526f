package dev.rwkvedge.runtime.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopSequencesTest {
    /** Feeds the pieces and returns everything emitted, with "|" between the pieces' outputs. */
    private static String stream(StopSequences stops, String... pieces) {
        StringBuilder out = new StringBuilder();
        for (String piece : pieces) {
            StopSequences.Step step = stops.append(piece);
            out.append(step.emit()).append('|');
            if (step.stopped()) return out.toString();
        }
        return out.append(stops.finish()).toString();
    }

    @Test
    void stopSplitAcrossPiecesIsNeverPrinted() {
        StopSequences stops = StopSequences.of("\n\nUser:");
        assertEquals("Hi||||", stream(stops, "Hi", "\n", "\nUs", "er:", "more"));
    }

    @Test
    void heldBackTextIsReleasedWhenItStopsLookingLikeAStop() {
        StopSequences stops = StopSequences.of("\n\nUser:");
        assertEquals("Hi||\n\nUse!|ok|", stream(stops, "Hi", "\n\nUse", "!", "ok"));
        assertFalse(stops.stopped());
    }

    @Test
    void textBeforeTheStopInTheSamePieceIsEmitted() {
        StopSequences stops = StopSequences.of("###");
        StopSequences.Step step = stops.append("answer 42### trailing");
        assertEquals("answer 42", step.emit());
        assertEquals("###", step.stop());
        assertTrue(stops.stopped());
        assertEquals(new StopSequences.Step("", "###"), stops.append("more"));
        assertEquals("", stops.finish());
    }

    @Test
    void endOfGenerationReleasesAPartialStop() {
        StopSequences stops = StopSequences.of("</s>");
        StopSequences.Step step = stops.append("done </");
        assertEquals("done ", step.emit());
        assertNull(step.stop());
        assertEquals("</", stops.finish());
    }

    @Test
    void earliestStopWinsAndLongerAtTheSamePlace() {
        StopSequences stops = StopSequences.of("\n\n", "\n\nUser:", "END");
        assertEquals(new StopSequences.Step("x", "\n\nUser:"), stops.append("x\n\nUser: hi END"));
        stops.reset();
        assertEquals(new StopSequences.Step("a", "END"), stops.append("aEND\n\n"));
    }

    @Test
    void overlappingPrefixesAreHeldUntilResolved() {
        StopSequences stops = StopSequences.of("abab");
        assertEquals("||", stream(stops, "aba", "bab"), "stops at the second b");
        stops.reset();
        assertEquals("||aba", stream(stops, "ab", "a"), "a partial stop comes out at the end");
        stops.reset();
        assertEquals("|abax|", stream(stops, "aba", "x"));
    }

    @Test
    void emptyStopStringsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> StopSequences.of(""));
        assertEquals(List.of("a", "b"), StopSequences.of("a", "b").stops());
    }
}
