package dev.rwkvedge.compress;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.model.ModelSummary;
import dev.rwkvedge.model.SampleModel;
import dev.rwkvedge.task.ProgressListener;
import dev.rwkvedge.tokenizer.Tokenizers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shipped recipe on the sample model stores its block matrices in less than fp16's two bytes per parameter, and
 * its whole file (tensors, header, metadata) is smaller than the dense model in fp16.
 */
class ShippedRecipesTest {
    static Stream<Path> recipes() throws Exception {
        return Files.list(Path.of("recipes")).filter(p -> !p.getFileName().toString().startsWith("sweep")).sorted();
    }

    @ParameterizedTest
    @MethodSource("recipes")
    void blockMatricesAndTheWholeFileAreSmallerThanFp16(Path recipeFile, @TempDir Path dir) throws Exception {
        Path sample = SampleModel.locate().orElseThrow();
        Recipe recipe = Recipe.read(recipeFile);
        try (LoadedModel m = LoadedModel.open(sample)) {
            int[] calibration = null;
            if (recipe.needsCalibration()) {
                var tok = Tokenizers.forModel(m.checkpoint(), m.config().vocab(), null);
                // a short calibration: what is stored, and so the file's size, does not depend on its length
                calibration = Calibration.tokens(SampleModel.dataFolder().resolve("calibration.txt"), tok, 512);
            }
            Compressor.Applied applied = Compressor.apply(m, recipe, calibration, ProgressListener.NONE);
            ModelSummary stored = CompressedModelFile.write(dir.resolve("x.safetensors"), m, recipe, applied);
            ModelSummary dense = ModelSummary.of(m.checkpoint(), m.config());
            long denseFp16 = 2 * dense.components().stream().mapToLong(ModelSummary.Component::parameters).sum();
            assertTrue(stored.fileBytes() < denseFp16, recipeFile + ": file of " + stored.fileBytes()
                    + " bytes vs " + denseFp16 + " for the dense model in fp16");
            // a sparse channel mix keeps its neurons in its own storage (not block matrices)
            var parts = recipe.sparseFfn() == null ? java.util.List.of("time-mix", "channel-mix") : java.util.List.of("time-mix");
            for (String part : parts) {
                long fp16 = 2 * dense.components().stream().filter(c -> c.name().equals(part))
                        .mapToLong(ModelSummary.Component::parameters).sum();
                long bytes = stored.components().stream().filter(c -> c.name().equals(part))
                        .mapToLong(ModelSummary.Component::bytes).sum();
                assertTrue(bytes < fp16, recipeFile + " " + part + ": " + bytes + " bytes stored vs " + fp16 + " in fp16");
            }
        }
    }
}
