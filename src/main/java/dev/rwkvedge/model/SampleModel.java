package dev.rwkvedge.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

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

    /** The first .pth in the folder, by name. */
    public static Optional<Path> locate() {
        Path dir = folder();
        if (!Files.isDirectory(dir)) return Optional.empty();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".pth")).sorted().findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The folder of evaluation data shipped with the sample model. */
    public static Path dataFolder() {
        return folder().resolve("data");
    }
}
