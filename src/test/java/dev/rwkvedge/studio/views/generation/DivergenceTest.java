package dev.rwkvedge.studio.views.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class DivergenceTest {
    @Test
    void marksTheFirstDifferingCharacterWithContext() {
        assertEquals(new Divergence(7, "And God", " said", "s were"), Divergence.of("And God said", "And Gods were"));
        String common = "x".repeat(40);
        Divergence d = Divergence.of(common + "abc", common + "abd");
        assertEquals(42, d.at());
        assertEquals(Divergence.CONTEXT, d.common().length());
        assertEquals("c", d.dense());
        assertEquals("d", d.other());
    }

    @Test
    void aTextThatIsStillAPrefixOfTheOtherHasNotDiverged() {
        assertFalse(Divergence.of("And God", "And God said").diverged());
        assertFalse(Divergence.of("", "anything").diverged());
        assertFalse(Divergence.of("same", "same").diverged());
    }

    @Test
    void neverSplitsASurrogatePair() {
        // U+1F600 and U+1F601 share their high surrogate: the difference starts at the whole character
        Divergence d = Divergence.of("a\uD83D\uDE00", "a\uD83D\uDE01");
        assertEquals(1, d.at());
        assertEquals("\uD83D\uDE00", d.dense());
    }
}
