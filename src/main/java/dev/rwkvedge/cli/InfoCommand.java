package dev.rwkvedge.cli;

import dev.rwkvedge.compress.size.HeldReport;
import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.model.ConfigDetector;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.model.ModelConfig;
import dev.rwkvedge.model.ModelSummary;
import dev.rwkvedge.model.SyntheticModel;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Generation, sizes, and parameters and bytes per component (embedding, blocks, head).")
final class InfoCommand implements Callable<Integer> {
    @Mixin
    ModelOptions opts;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (FileArgs.synthetic(opts.model)) {
            // a synthetic model's layout alone: generating 1.5B random weights only to count them would take seconds
            String spec = opts.model.toString().substring(FileArgs.SYNTHETIC.length());
            try (Checkpoint ck = SyntheticModel.layout(SyntheticModel.shape(spec))) {
                ModelConfig cfg = ConfigDetector.detect(ck);
                return print(ModelSummary.of(ck, opts.groupNormEps == null ? cfg : cfg.withGroupNormEps(opts.groupNormEps)));
            }
        }
        try (LoadedModel m = opts.open()) {
            int rc = print(ModelSummary.of(m.checkpoint(), m.config()));
            if (!json) printHeld(HeldReport.of(m.model()));
            return rc;
        }
    }

    /** What each part holds in memory while generating (parts read on demand: their caches, not their tables). */
    static void printHeld(List<HeldReport.Line> lines) {
        System.out.printf("%n%-12s %14s  %s%n", "held", "bytes", "what (while generating)");
        long total = 0;
        for (HeldReport.Line l : lines) {
            System.out.printf("%-12s %,14d  %s%n", l.component(), l.bytes(), l.text());
            total += l.bytes();
        }
        System.out.printf("%-12s %,14d%n", "total", total);
    }

    private int print(ModelSummary s) throws java.io.IOException {
        if (json) {
            Json.print(s);
            return 0;
        }
        ModelConfig c = s.config();
        if (s.fileBytes() >= 0) {
            System.out.printf("file        %s (%s, %,d bytes)%n", s.file(), s.format(), s.fileBytes());
        } else {
            System.out.printf("model       %s (%s, not a file: %,d bytes of tensors)%n", s.file(), s.format(),
                    s.bytes());
        }
        System.out.printf("generation  RWKV %s%n", c.generation());
        System.out.printf("layers      %d%nembedding   %d%nvocabulary  %d%nffn         %d%n", c.layers(), c.embd(),
                c.vocab(), c.ffn());
        if (c.heads() > 0) System.out.printf("heads       %d x %d%n", c.heads(), c.headSize());
        if (c.loraDims().length > 0) System.out.printf("lora dims   %s%n", Arrays.toString(c.loraDims()));
        if (c.generation().hasGroupNorm()) System.out.printf("ln_x eps    %g%n", c.groupNormEps());
        System.out.printf("%n%-12s %14s %8s %14s%n", "component", "parameters", "share", "file bytes");
        for (ModelSummary.Component k : s.components()) {
            System.out.printf("%-12s %,14d %7.1f%% %,14d%n", k.name(), k.parameters(),
                    100.0 * k.parameters() / s.parameters(), k.bytes());
        }
        if (s.fileBytes() >= 0) System.out.printf("%-12s %14s %8s %,14d%n", "header", "", "", s.fileBytes() - s.bytes());
        System.out.printf("%-12s %,14d %8s %,14d%n", "total", s.parameters(), "",
                s.fileBytes() >= 0 ? s.fileBytes() : s.bytes());
        return 0;
    }
}
