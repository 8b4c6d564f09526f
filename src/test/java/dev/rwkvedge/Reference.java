package dev.rwkvedge;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the reference data that public projects produced (../shared/reference beside the checkout, or
 * RWKV_REFERENCE_DIR). A user's clone has none: those tests skip with a message. CI sets RWKV_REFERENCE_REQUIRED=1,
 * and there a missing file is a failure, not a skip.
 */
public final class Reference {
    private Reference() {}

    public static Path root() {
        String env = System.getenv("RWKV_REFERENCE_DIR");
        if (env != null && !env.isBlank()) return Path.of(env);
        return Path.of("..", "shared", "reference").toAbsolutePath().normalize();
    }

    /** The file under the reference root; skips (or fails in CI) when it is absent. */
    public static Path file(String relative) {
        Path p = root().resolve(relative);
        if (!Files.isRegularFile(p)) {
            String msg = "reference file " + p + " is absent (set RWKV_REFERENCE_DIR to the shared/reference folder)";
            if ("1".equals(System.getenv("RWKV_REFERENCE_REQUIRED"))) fail(msg);
            Assumptions.abort(msg);
        }
        return p;
    }

    /** A float32 little-endian file as an array. */
    public static float[] floats(Path p) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[bb.remaining() / 4];
        bb.asFloatBuffer().get(out);
        return out;
    }

    public static float[] floats(String relative) throws IOException {
        return floats(file(relative));
    }

    public static float maxAbsDiff(float[] a, int aOff, float[] b, int bOff, int n) {
        float m = 0;
        for (int i = 0; i < n; i++) m = Math.max(m, Math.abs(a[aOff + i] - b[bOff + i]));
        return m;
    }
}
