package dev.rwkvedge.cli;

import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.runtime.Generator;
import dev.rwkvedge.runtime.sampling.SamplerSettings;
import dev.rwkvedge.task.CancelledException;
import dev.rwkvedge.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true, description = "Stream text from a model.")
final class GenerateCommand implements Callable<Integer> {
    @Mixin
    ModelOptions opts;

    @Option(names = {"-p", "--prompt"}, required = true, description = "The prompt.")
    String prompt;

    @Option(names = {"-n", "--max-tokens"}, defaultValue = "200", converter = Ranges.Count.class,
            description = "Tokens to generate (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--temperature", defaultValue = "1.0", converter = Ranges.NonNegative.class,
            description = "Default: ${DEFAULT-VALUE}; 0 = greedy.")
    double temperature;

    @Option(names = "--top-p", defaultValue = "0.3", converter = Ranges.Probability.class,
            description = "0 to 1 (default: ${DEFAULT-VALUE}).")
    double topP;

    @Option(names = "--top-k", defaultValue = "0", converter = Ranges.NonNegativeInt.class,
            description = "0 = off (default).")
    int topK;

    @Option(names = "--presence-penalty", defaultValue = "0.5", converter = Ranges.Finite.class,
            description = "Default: ${DEFAULT-VALUE}.")
    double presence;

    @Option(names = "--frequency-penalty", defaultValue = "0.5", converter = Ranges.Finite.class,
            description = "Default: ${DEFAULT-VALUE}.")
    double frequency;

    @Option(names = "--penalty-decay", defaultValue = "0.996", converter = Ranges.Probability.class,
            description = "0 to 1 (default: ${DEFAULT-VALUE}).")
    double decay;

    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--stop", description = "Stop when this text appears (repeatable).")
    List<String> stops = new ArrayList<>();


    @Option(names = "--json", description = "Print one JSON object at the end instead of streaming.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (LoadedModel m = opts.open()) {
            Tokenizer tok = opts.tokenizer(m);
            SamplerSettings s = new SamplerSettings(temperature, topP, topK, presence, frequency, decay, seed);
            if (!json) System.out.print(prompt);
            Generator.Result r = new Generator(m.model(), tok).generate(prompt, maxTokens, s, stops, text -> {
                if (!json) {
                    System.out.print(text);
                    System.out.flush();
                }
            }, Cancellation::requested);
            if (r.stop() == Generator.Stop.CANCELLED) {
                System.out.println();
                throw new CancelledException();
            }
            if (json) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("prompt", prompt);
                j.put("text", r.text());
                j.put("prompt_tokens", r.promptTokens());
                j.put("generated_tokens", r.generatedTokens());
                j.put("prompt_tokens_per_s", r.promptTokensPerSecond());
                j.put("tokens_per_s", r.tokensPerSecond());
                j.put("stop", r.stop().name().toLowerCase());
                Json.print(j);
            } else {
                System.out.println();
                System.err.printf("[%d prompt tokens at %.1f tokens/s; %d generated at %.1f tokens/s; stop: %s]%n",
                        r.promptTokens(), r.promptTokensPerSecond(), r.generatedTokens(), r.tokensPerSecond(),
                        r.stop().name().toLowerCase().replace('_', ' '));
            }
            return 0;
        }
    }
}
