package dev.rwkvedge.eval;

import dev.rwkvedge.model.SampleModel;
import dev.rwkvedge.task.ProgressListener;
import dev.rwkvedge.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The evaluations by name, each with the file of the sample model's data it uses by default: the one entry point the
 * CLI, the studio and the sweep share, so they read the same data the same way.
 */
public enum EvalTask {
    LASTWORD(LastWordAccuracy.TASK, "lastword.jsonl", "items"),
    CHOICE(MultipleChoice.TASK, "choice.jsonl", "items"),
    PERPLEXITY(Perplexity.TASK, "heldout.txt", "tokens"),
    AGREEMENT(Agreement.TASK, "heldout.txt", "tokens");

    /** Agreement keeps the reference's distributions in memory; without a limit it compares this many tokens. */
    public static final int DEFAULT_AGREEMENT_TOKENS = 2048;

    private final String id;
    private final String sampleFile;
    private final String limitUnit;

    EvalTask(String id, String sampleFile, String limitUnit) {
        this.id = id;
        this.sampleFile = sampleFile;
        this.limitUnit = limitUnit;
    }

    public String id() {
        return id;
    }

    /** What a limit counts for this task: the first N items, or the first N tokens of the text. */
    public String limitUnit() {
        return limitUnit;
    }

    /** @throws IllegalArgumentException naming the known tasks */
    public static EvalTask of(String name) {
        for (EvalTask t : values()) if (t.id.equalsIgnoreCase(name.strip())) return t;
        throw new IllegalArgumentException("unknown task \"" + name + "\"; expected one of "
                + Arrays.stream(values()).map(EvalTask::id).toList());
    }

    /** The sample model's data file for this task (models-sample/data/...). */
    public Path sampleData() {
        return SampleModel.dataFolder().resolve(sampleFile);
    }

    /**
     * What to evaluate on and how much of it.
     *
     * @param data         the data file; null: the sample model's ({@link #sampleData()})
     * @param limit        at most this many items or tokens ({@link #limitUnit()}); 0 or less: all (agreement:
     *                     {@link #DEFAULT_AGREEMENT_TOKENS})
     * @param segmentation how perplexity splits its text into streams
     */
    public record Settings(Path data, int limit, Perplexity.Segmentation segmentation) {
        public static final Settings SAMPLE = new Settings(null, 0, Perplexity.Segmentation.STREAM);

        public Settings {
            if (segmentation == null) throw new IllegalArgumentException("no segmentation");
        }
    }

    /**
     * Runs the task.
     *
     * @param reference the model to compare with, for {@link #AGREEMENT} only
     */
    public EvalResult run(LanguageModel model, Tokenizer tokenizer, Settings settings, LanguageModel reference,
                          ProgressListener progress) throws IOException {
        Path data = settings.data();
        Path file = data != null ? data : sampleData();
        if (!Files.isRegularFile(file)) {
            throw new IOException(data != null ? "no data file " + file
                    : "the sample data for " + id + " (" + file + ") is absent; pass --data FILE or install the sample model");
        }
        int limit = settings.limit();
        return switch (this) {
            case LASTWORD -> LastWordAccuracy.evaluate(model, tokenizer, first(EvalData.lastWord(file), limit), progress);
            case CHOICE -> MultipleChoice.evaluate(model, tokenizer, first(EvalData.multipleChoice(file), limit), progress);
            case PERPLEXITY -> Perplexity.evaluate(model, tokenizer, EvalData.text(file), settings.segmentation(), limit,
                    progress);
            case AGREEMENT -> {
                if (reference == null) throw new IllegalArgumentException("agreement needs a reference model");
                int[] tokens = tokenizer.encode(EvalData.text(file));
                int n = Math.min(tokens.length, limit > 0 ? limit : DEFAULT_AGREEMENT_TOKENS);
                yield Agreement.evaluate(reference, model, Arrays.copyOf(tokens, n), progress);
            }
        };
    }

    private static <T> List<T> first(List<T> items, int limit) {
        return limit > 0 && items.size() > limit ? items.subList(0, limit) : items;
    }

    @Override
    public String toString() {
        return id;
    }
}
