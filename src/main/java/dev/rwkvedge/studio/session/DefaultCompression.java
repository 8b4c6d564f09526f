package dev.rwkvedge.studio.session;

import dev.rwkvedge.compress.Calibration;
import dev.rwkvedge.compress.Compressor;
import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.model.SampleModel;
import dev.rwkvedge.task.ProgressListener;
import dev.rwkvedge.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The compressed model every opened model gets without anyone asking: the shipped best recipe
 * ({@code recipes/edge.json}) applied in the background, so Generation can stream dense and compressed side by side
 * on first use, before the Compress tab has built anything.
 */
public final class DefaultCompression {
    public static final String RECIPE_FILE = "edge.json";
    private static final String CALIBRATION = "calibration.txt";

    private DefaultCompression() {}

    /**
     * Where the shipped recipes are: the system property rwkv.recipes.dir, else recipes/ beside the sample folder
     * (the checkout, or the packaged app's folder), else recipes/ in the working directory.
     */
    public static Optional<Path> recipeFile() {
        String prop = System.getProperty("rwkv.recipes.dir");
        Stream<Path> dirs = Stream.of(prop != null && !prop.isBlank() ? Path.of(prop) : null,
                SampleModel.folder().resolveSibling("recipes"), Path.of("recipes"));
        return dirs.filter(d -> d != null).map(d -> d.resolve(RECIPE_FILE)).filter(Files::isRegularFile).findFirst();
    }

    /** Calibration text beside the model (in data/ or next to it), else the sample's. */
    static Optional<Path> calibrationText(Path model) {
        Path dir = model.toAbsolutePath().getParent();
        return List.of(dir.resolve("data").resolve(CALIBRATION), dir.resolve(CALIBRATION),
                SampleModel.dataFolder().resolve(CALIBRATION)).stream().filter(Files::isRegularFile).findFirst();
    }

    /** Opens a fresh copy of the dense model (compression changes a model in place) and applies the recipe to it. */
    static CompressedModel build(Path model, Tokenizer tokenizer, Path recipeFile, ProgressListener progress)
            throws Exception {
        progress.update(0, 0, "Reading " + recipeFile.getFileName());
        Recipe recipe = Recipe.read(recipeFile);
        // tokenizing the text costs little, so it is read whether or not the recipe's techniques learn from it
        Optional<Path> text = recipe.calibration() != null && recipe.calibration().file() != null
                ? Optional.of(Path.of(recipe.calibration().file())) : calibrationText(model);
        int tokens = recipe.calibration() != null && recipe.calibration().tokens() != null
                ? recipe.calibration().tokens() : Calibration.DEFAULT_TOKENS;
        int[] calibration = text.isPresent() ? Calibration.tokens(text.get(), tokenizer, tokens) : null;
        LoadedModel fresh = LoadedModel.open(model);
        try {
            Compressor.Applied applied = Compressor.apply(fresh, recipe, calibration, progress);
            progress.checkCancelled();
            return new CompressedModel(fresh, recipe, applied, tokenizer);
        } catch (Throwable e) {
            fresh.close();
            throw e;
        }
    }
}
