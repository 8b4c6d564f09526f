package dev.rwkvedge.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PairedLastWordTest {
    @Test
    void pairedDifferenceAndItsIntervalHaveTheirClosedForm() {
        // 100 items: 10 only the base gets right, 4 only the other, 20 both
        boolean[] base = new boolean[100], other = new boolean[100];
        for (int i = 0; i < 30; i++) base[i] = true;
        for (int i = 10; i < 34; i++) other[i] = true;
        var d = PairedLastWord.compare(base, other);
        double mean = -6 / 100.0;
        double var = (14 - 100 * mean * mean) / 99; // 14 nonzero differences of +-1
        double half = 1.959964 * Math.sqrt(var / 100);
        assertEquals(mean, d.delta(), 1e-15);
        assertEquals(mean - half, d.low(), 1e-12);
        assertEquals(mean + half, d.high(), 1e-12);
        var same = PairedLastWord.compare(base, base);
        assertEquals(0, same.low(), 0);
        assertEquals(0, same.high(), 0);
    }
}
