package dev.rwkvedge.compress;

import dev.rwkvedge.model.SampleModel;
import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.runtime.RwkvState;
import dev.rwkvedge.task.ProgressListener;
import dev.rwkvedge.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Calibration text as tokens, and one pass of it through a model (observers see everything). */
public final class Calibration {
    public static final int DEFAULT_TOKENS = 8192;
    private static final int STEP = 256;

    private Calibration() {}

    /** The calibration text used when neither the user nor the recipe names one: the sample model's. */
    public static Path defaultFile() {
        return SampleModel.dataFolder().resolve("calibration.txt");
    }

    /**
     * The calibration tokens for a recipe, the one rule the CLI and the studio share: the file given by the user,
     * else the recipe's, else {@code fallback} (null: {@link #defaultFile()}); the token count given by the user,
     * else the recipe's, else {@link #DEFAULT_TOKENS}.
     */
    public static int[] forRecipe(Recipe recipe, Path givenFile, Integer givenTokens, Path fallback, Tokenizer tokenizer)
            throws IOException {
        Recipe.Calibration c = recipe.calibration();
        Path file = givenFile != null ? givenFile : c != null && c.file() != null ? Path.of(c.file())
                : fallback != null ? fallback : defaultFile();
        int limit = givenTokens != null ? givenTokens : c != null && c.tokens() != null ? c.tokens() : DEFAULT_TOKENS;
        return tokens(file, tokenizer, limit);
    }

    public static int[] tokens(Path file, Tokenizer tokenizer, int limit) throws IOException {
        if (limit < 2) throw new IOException(file + ": at least 2 calibration tokens are needed, not " + limit);
        if (!Files.isRegularFile(file)) throw new IOException(file + ": calibration text not found");
        int[] ids = tokenizer.encode(Files.readString(file));
        if (ids.length < 2) throw new IOException(file + ": calibration text is empty");
        return ids.length > limit ? Arrays.copyOf(ids, limit) : ids;
    }

    /** Runs the tokens as one stream in sequence mode, reporting progress and honouring cancellation. */
    public static void run(RwkvModel model, int[] tokens, ProgressListener progress, String what) {
        RwkvState st = model.newState();
        for (int from = 0; from < tokens.length; from += STEP) {
            progress.checkCancelled();
            progress.update(from, tokens.length, what);
            model.forwardSequence(Arrays.copyOfRange(tokens, from, Math.min(tokens.length, from + STEP)), st, false);
        }
        progress.update(tokens.length, tokens.length, what);
    }
}
