package dev.rwkvedge.cli;

import dev.rwkvedge.eval.EvalResult;
import dev.rwkvedge.eval.EvalTask;
import dev.rwkvedge.eval.LanguageModel;
import dev.rwkvedge.eval.Perplexity;
import dev.rwkvedge.eval.RwkvLanguageModel;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a model as lm-evaluation-harness does (fp32, zero-shot):",
                "  lastword    LAMBADA-style: greedy last-word accuracy and the word's perplexity",
                "  choice      multiple choice: acc and acc_norm (length-normalised)",
                "  perplexity  token perplexity, cross-entropy and bits per byte of a text",
                "  agreement   KL(reference || model) and top-1 agreement with --reference",
                "Without --data a task reads the sample model's data in models-sample/data/."})
final class EvalCommand implements Callable<Integer>, Preflight.Checked {
    @Mixin
    ModelOptions opts;

    @Option(names = "--task", required = true, split = ",", paramLabel = "TASK", converter = Task.class,
            description = "lastword, choice, perplexity or agreement; repeatable or comma-separated.")
    List<EvalTask> tasks = new ArrayList<>();

    @Option(names = "--data", paramLabel = "FILE", converter = FileArgs.Input.class,
            description = "Data file; the i-th --data goes with the i-th task "
            + "(JSONL {\"text\"} for lastword; {\"context\"|\"query\"|\"ctx\", \"choices\"|\"endings\", \"gold\"|\"label\"} "
            + "for choice; UTF-8 text for perplexity and agreement).")
    List<Path> data = new ArrayList<>();

    @Option(names = "--reference", paramLabel = "MODEL", converter = FileArgs.Input.class,
            description = "The model to compare with (agreement), "
            + "usually the uncompressed one; it must use the same tokenizer.")
    Path reference;

    @Option(names = "--limit", paramLabel = "N", converter = Ranges.Count.class, description = "Only the first N "
            + "items (lastword, choice) or tokens (perplexity, agreement). Default: all, except agreement: "
            + EvalTask.DEFAULT_AGREEMENT_TOKENS + " tokens (it keeps the reference's distributions in memory).")
    Integer limit;

    @Option(names = "--documents", description = "Perplexity per blank-line-separated document, each from a fresh "
            + "state (as the sample model's own evaluation reports it); default: the whole text as one stream.")
    boolean documents;


    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    /** Task names, as a usage error when unknown. */
    static final class Task implements ITypeConverter<EvalTask> {
        @Override
        public EvalTask convert(String value) {
            try {
                return EvalTask.of(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    @Override
    public void check() {
        if (data.size() > tasks.size()) {
            throw new IllegalArgumentException(data.size() + " --data files for " + tasks.size() + " task(s)");
        }
        if (tasks.contains(EvalTask.AGREEMENT) && reference == null) {
            throw new IllegalArgumentException("--task agreement needs --reference MODEL");
        }
    }

    @Override
    public Integer call() throws Exception {
        List<EvalTask> chosen = tasks;
        try (LoadedModel m = opts.open(); LoadedModel ref = reference != null ? openReference() : null) {
            Tokenizer tok = opts.tokenizer(m);
            LanguageModel model = new RwkvLanguageModel(m.model());
            LanguageModel refModel = ref != null ? new RwkvLanguageModel(ref.model()) : null;
            List<EvalResult> results = new ArrayList<>();
            for (int i = 0; i < chosen.size(); i++) {
                EvalTask task = chosen.get(i);
                try (CliProgress bar = new CliProgress(task.id())) {
                    EvalTask.Settings settings = new EvalTask.Settings(i < data.size() ? data.get(i) : null,
                            limit == null ? 0 : limit,
                            documents ? Perplexity.Segmentation.DOCUMENTS : Perplexity.Segmentation.STREAM);
                    results.add(task.run(model, tok, settings, refModel, bar));
                }
            }
            if (json) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("model", m.path().getFileName().toString());
                if (ref != null) j.put("reference", ref.path().getFileName().toString());
                j.put("threads", m.model().threads());
                j.put("results", results);
                Json.print(j);
            } else {
                System.out.printf("%s, %d thread(s), tokenizer %s%n", m.path().getFileName(), m.model().threads(), tok.name());
                System.out.print(EvalResult.table(results));
            }
            return 0;
        }
    }

    private LoadedModel openReference() throws java.io.IOException {
        LoadedModel r = LoadedModel.open(reference, opts.groupNormEps);
        r.model().setThreads(opts.threads);
        return r;
    }
}
