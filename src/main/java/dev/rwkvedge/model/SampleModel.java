package dev.rwkvedge.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** The model that ships in models-sample/, which the studio opens when started without arguments. */
public final class SampleModel {
    private SampleModel() {}

    /** The folder beside the launcher (or the working directory), overridable with RWKV_SAMPLE_DIR. */
    public static Path folder() {
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
