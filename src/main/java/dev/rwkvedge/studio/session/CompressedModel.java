package dev.rwkvedge.studio.session;

import dev.rwkvedge.compress.Compressor;
import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.SizeReport;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.tokenizer.Tokenizer;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * A compressed copy of the open model, built from a recipe: the runnable model, what was done to it, and the dense
 * model's tokenizer. Like {@link OpenModel}, the engine is not thread-safe, so every job that runs it goes through
 * {@link #withEngine}, and closing waits for the job in progress.
 */
public final class CompressedModel implements AutoCloseable {
    private final LoadedModel loaded;
    private final Recipe recipe;
    private final Compressor.Applied applied;
    private final Tokenizer tokenizer;
    private final EngineLock engine;

    /** @param loaded a model opened for this purpose alone (compression changed it in place) */
    public CompressedModel(LoadedModel loaded, Recipe recipe, Compressor.Applied applied, Tokenizer tokenizer) {
        this.loaded = loaded;
        this.engine = new EngineLock(loaded);
        this.recipe = recipe;
        this.applied = applied;
        this.tokenizer = tokenizer;
    }

    public <T> T withEngine(Callable<T> work) throws Exception {
        return engine.run(work);
    }

    public LoadedModel loaded() {
        return loaded;
    }

    public Recipe recipe() {
        return recipe;
    }

    public Compressor.Applied applied() {
        return applied;
    }

    public SizeReport size() {
        return applied.size();
    }

    public Optional<Tokenizer> tokenizer() {
        return Optional.ofNullable(tokenizer);
    }

    /** Blocks until the running engine job (if any) ends: call off the FX thread. */
    @Override
    public void close() {
        engine.close();
    }
}
