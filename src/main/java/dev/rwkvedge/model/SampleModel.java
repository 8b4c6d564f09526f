package dev.rwkvedge.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The model that ships in models-sample/, which the studio opens when started without arguments. */
public final class SampleModel {
    private SampleModel() {}

    /**
     * The system property rwkv.sample.dir (set by the packaged app), else RWKV_SAMPLE_DIR, else models-sample/ in the
     * working directory (the launcher runs from the checkout).
     */
    public static Path folder() {
        String prop = System.getProperty("rwkv.sample.dir");
        if (prop != null && !prop.isBlank()) return Path.of(prop).toAbsolutePath();
        String env = System.getenv("RWKV_SAMPLE_DIR");
        return Path.of(env != null && !env.isBlank() ? env : "models-sample").toAbsolutePath();
    }

    /** The shipped model's file name (tools/sample/train.py's default --name). */
    public static final String FILE_NAME = "rwkv7-kjv-5m.pth";

    /**
     * The sample model, by its exact name: a pattern such as "the first .pth" would pick up a file derived from it
     * (an exported {@code rwkv7-kjv-5m-compressed-dense.pth} sorts first) and make that the model everything opens.
     */
    public static Optional<Path> locate() {
        Path file = folder().resolve(FILE_NAME);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** The folder of evaluation data shipped with the sample model. */
    public static Path dataFolder() {
        return folder().resolve("data");
    }
}
