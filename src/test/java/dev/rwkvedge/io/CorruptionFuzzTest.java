package dev.rwkvedge.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random damage to real files (bytes overwritten near the metadata, or the file cut anywhere): opening either works
 * or fails with one ModelFormatException naming the file; never another exception, an Error or a hang.
 */
class CorruptionFuzzTest {
    private static final int ROUNDS = 60;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"rwkv.cpp/tests/tiny-rwkv-5v1-730K-Q5_1.bin", "derived/blinkdl/tiny-rwkv-7v0-834K-bf16.pth",
            "derived/blinkdl/tiny-rwkv-5v2-730K-f32.safetensors", "derived/gguf/tiny-rwkv-7v0-834K-F32-to-Q4_K_M.gguf"})
    void damagedFilesFailCleanly(String file) throws Exception {
        byte[] original = Files.readAllBytes(Reference.file(file));
        Random random = new Random(file.hashCode());
        int opened = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] b;
            if (round % 3 == 0) {
                b = java.util.Arrays.copyOf(original, random.nextInt(original.length));
            } else {
                b = original.clone();
                // metadata lives at the start (headers) and, for zips, at the end (central directory)
                int span = Math.min(b.length, 64 * 1024);
                for (int k = 0; k < 1 + random.nextInt(4); k++) {
                    int at = random.nextBoolean() ? random.nextInt(span) : b.length - 1 - random.nextInt(span);
                    b[at] = (byte) random.nextInt(256);
                }
            }
            Path p = dir.resolve("damaged-" + round);
            Files.write(p, b);
            try (Checkpoint c = Checkpoints.open(p)) {
                opened++;
                c.tensors().values().forEach(t -> t.data().byteSize());
            } catch (ModelFormatException e) {
                assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
            }
            Files.delete(p);
        }
        System.out.printf("%s: %d of %d damaged copies still opened%n", file, opened, ROUNDS);
    }
}
