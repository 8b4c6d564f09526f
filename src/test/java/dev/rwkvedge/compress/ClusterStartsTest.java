package dev.rwkvedge.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.io.ModelFormatException;
import dev.rwkvedge.tensor.Tensor;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A clustered head's cluster starts come from the file: out-of-range or unordered starts are a format error. */
class ClusterStartsTest {
    private static final Path FILE = Path.of("crafted.safetensors");
    private static final float[] TOKENS = {3, 0, 2, 1};

    private static Checkpoint withStarts(float... starts) {
        return new Checkpoint(FILE, "safetensors", Map.of(CompressedParts.STARTS, Tensor.ofFloats(CompressedParts.STARTS, starts, starts.length)),
                Map.of(), Optional.empty(), Optional.empty(), null);
    }

    @Test
    void validStartsAssignEachTokenItsCluster() throws Exception {
        // clusters [0, 1) and [1, 4) of the token list 3, 0, 2, 1
        assertArrayEquals(new int[] {1, 1, 1, 0}, CompressedParts.clusterOf(withStarts(0, 1, 4), TOKENS, 2));
    }

    @Test
    void startsOutsideTheTokenListAreRejected() {
        for (float[] starts : new float[][] {{0, 1, 9}, {0, -3, 4}, {0, 3, 2}, {0, Float.NaN, 4}, {0, 1.5f, 4}}) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> CompressedParts.clusterOf(withStarts(starts), TOKENS, 2));
            assertTrue(e.getMessage().startsWith(FILE + ": " + CompressedParts.STARTS), e.getMessage());
        }
    }
}
