package dev.rwkvedge.studio.views.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The "Fit to size" field's words: a ratio to fp16 with its x, or a size as --target-size takes it. */
class FitTargetTest {
    private static final long FP16 = 10_192_512;

    @Test
    void aRatioDividesTheFp16Size() {
        for (String t : new String[] {"10x", "10 x", "x10", "10X"}) {
            FitTarget f = FitTarget.parse(t);
            assertEquals(10.0, f.ratio(), t);
            assertEquals(1_019_251, f.budget(FP16), t);
        }
        assertEquals("10x smaller than fp16 (1.02 MB)", FitTarget.parse("10x").describe(FP16));
        assertEquals((long) (FP16 / 2.5), FitTarget.parse("2.5x").budget(FP16));
    }

    @Test
    void aSizeIsTakenAsTheCommandLineTakesIt() {
        assertEquals(1_000_000, FitTarget.parse("1 MB").budget(FP16));
        assertEquals(800_000, FitTarget.parse("800kB").budget(FP16));
        assertEquals(1_572_864, FitTarget.parse("1.5MiB").budget(FP16));
        assertEquals(1_019_251, FitTarget.parse("1019251").budget(FP16));
        assertEquals("1.00 MB (10.19x smaller than fp16)", FitTarget.parse("1MB").describe(FP16));
    }

    @Test
    void wordsThatAreNoTargetSayWhatWouldBe() {
        // a bare small number is a ratio that lost its x, not a model of ten bytes
        String bare = assertThrows(IllegalArgumentException.class, () -> FitTarget.parse("10")).getMessage();
        assertTrue(bare.contains("10x"), bare);
        for (String t : new String[] {"", "  ", "ten", "0x", "-3x", "1 MQ"}) {
            String m = assertThrows(IllegalArgumentException.class, () -> FitTarget.parse(t), t).getMessage();
            assertTrue(!m.isBlank() && !m.contains("\n"), m);
        }
    }
}
