package dev.rwkvedge.studio.views.sparsity;

import dev.rwkvedge.model.SampleModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Where calibration text is looked for when the user has not chosen a file: beside the model, then the sample's. */
final class CalibrationText {
    static final String NAME = "calibration.txt";

    private CalibrationText() {}

    static List<Path> candidates(Path model) {
        Path dir = model.toAbsolutePath().getParent();
        return List.of(dir.resolve("data").resolve(NAME), dir.resolve(NAME), SampleModel.dataFolder().resolve(NAME));
    }

    static Optional<Path> find(Path model) {
        return candidates(model).stream().filter(Files::isRegularFile).findFirst();
    }
}
