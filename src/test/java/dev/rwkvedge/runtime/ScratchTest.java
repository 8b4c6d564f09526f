package dev.rwkvedge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Blocks rewound to the mark share their working arrays; the kept array and arrays before the mark do not move. */
class ScratchTest {

    @Test
    void everyBlockGetsTheSameArraysAndTheKeptOneSurvives() {
        Scratch s = new Scratch();
        s.reset();
        float[] x = s.take(192);
        s.markBlocks();
        float[] kept = s.keep(192);
        float[][] first = {s.take(192), s.take(64), s.take(192)};
        s.rewindToBlocks();
        float[][] second = {s.take(192), s.take(64), s.take(192)};
        for (int i = 0; i < 3; i++) assertSame(first[i], second[i]);
        assertSame(kept, s.keep(192));
        assertEquals(4 * (192 + 192 + 192 + 64 + 192), s.bytes(), "the residual stream, one block's arrays, the kept one");
        for (float[] a : second) {
            assertNotSame(x, a);
            assertNotSame(kept, a);
        }
        // the next token: the same arrays again, in the same order
        s.reset();
        assertSame(x, s.take(192));
    }

    @Test
    void aBlockOfOtherSizesReusesWaitingArraysAndNeverHandsOutOneTwice() {
        Scratch s = new Scratch();
        s.reset();
        s.markBlocks();
        float[] a = s.take(64), b = s.take(32);
        s.rewindToBlocks();
        float[] c = s.take(32), d = s.take(64), e = s.take(16); // another layer's ranks, in another order
        assertSame(b, c);
        assertSame(a, d);
        assertEquals(16, e.length);
        s.rewindToBlocks();
        float[] f = s.take(64), g = s.take(32), h = s.take(16);
        assertEquals(3, java.util.Set.of(System.identityHashCode(f), System.identityHashCode(g),
                System.identityHashCode(h)).size());
        assertSame(a, f);
        assertSame(b, g);
        assertSame(e, h);
    }
}
