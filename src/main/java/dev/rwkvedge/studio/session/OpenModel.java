package dev.rwkvedge.studio.session;

import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.model.ModelConfig;
import dev.rwkvedge.model.ModelSummary;
import dev.rwkvedge.task.ProgressListener;
import dev.rwkvedge.tokenizer.Tokenizer;
import dev.rwkvedge.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * A model the studio has open: the runnable model, what the overview shows, and its tokenizer (absent with the
 * reason when none was found: the overview still works, generation does not). Immutable apart from the engine, which
 * is not thread-safe: every job that runs it goes through {@link #withEngine}, which serialises them, and closing
 * waits for the job in progress.
 */
public final class OpenModel implements AutoCloseable {
    private final LoadedModel loaded;
    private final ModelSummary summary;
    private final List<LayerRow> layers;
    private final Tokenizer tokenizer;
    private final String tokenizerProblem;
    private final EngineLock engine;

    private OpenModel(LoadedModel loaded, ModelSummary summary, List<LayerRow> layers, Tokenizer tokenizer,
                      String tokenizerProblem) {
        this.loaded = loaded;
        this.engine = new EngineLock(loaded);
        this.summary = summary;
        this.layers = List.copyOf(layers);
        this.tokenizer = tokenizer;
        this.tokenizerProblem = tokenizerProblem;
    }

    /** Reads and builds the model; slow, so never on the FX thread. */
    public static OpenModel load(Path file, ProgressListener progress) throws IOException {
        progress.update(0, 3, "Reading " + file.getFileName());
        LoadedModel m = LoadedModel.open(file);
        try {
            progress.checkCancelled();
            progress.update(1, 3, "Summarising " + file.getFileName());
            ModelSummary summary = ModelSummary.of(m.checkpoint(), m.config());
            List<LayerRow> layers = LayerBreakdown.of(m.checkpoint(), m.config());
            progress.update(2, 3, "Looking for the tokenizer");
            Tokenizer tok = null;
            String problem = null;
            try {
                tok = Tokenizers.forModel(m.checkpoint(), m.config().vocab(), null);
            } catch (IOException e) {
                problem = e.getMessage();
            }
            progress.checkCancelled();
            progress.update(3, 3, "Opened " + file.getFileName());
            return new OpenModel(m, summary, layers, tok, problem);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** Runs engine work with exclusive use of the model. */
    public <T> T withEngine(Callable<T> work) throws Exception {
        return engine.run(work);
    }

    public LoadedModel loaded() {
        return loaded;
    }

    public ModelSummary summary() {
        return summary;
    }

    public ModelConfig config() {
        return loaded.config();
    }

    public Path path() {
        return loaded.path();
    }

    public List<LayerRow> layers() {
        return layers;
    }

    public Optional<Tokenizer> tokenizer() {
        return Optional.ofNullable(tokenizer);
    }

    /** Why there is no tokenizer (the engine's message), or empty. */
    public Optional<String> tokenizerProblem() {
        return Optional.ofNullable(tokenizerProblem);
    }

    /** Blocks until the running engine job (if any) ends: call off the FX thread. */
    @Override
    public void close() {
        engine.close();
    }
}
