package dev.rwkvedge.compress.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SelectionTest {
    static final float[] P = {0.05f, 0.5f, 0.02f, 0.3f, 0.1f, 0.03f};

    static int[] choose(Selection s) {
        int[] chosen = new int[P.length];
        int n = s.choose(P, 0, P.length, new long[P.length], chosen);
        return Arrays.copyOf(chosen, n);
    }

    @Test
    void takesClustersByProbabilityUntilCoverage() {
        assertArrayEquals(new int[] {1, 3, 4}, choose(new Selection(0.85, 1, 6)));
        assertArrayEquals(new int[] {1, 3}, choose(new Selection(0.8, 1, 6)));
    }

    @Test
    void minimumAndMaximumWin() {
        assertArrayEquals(new int[] {1, 3, 4}, choose(new Selection(0.5, 3, 6)));
        assertArrayEquals(new int[] {1, 3}, choose(new Selection(0.99, 1, 2)));
    }

    @Test
    void fullCoverageTakesEveryCluster() {
        assertArrayEquals(new int[] {1, 3, 4, 0, 5, 2}, choose(new Selection(1.0, 1, 100)));
    }
}
