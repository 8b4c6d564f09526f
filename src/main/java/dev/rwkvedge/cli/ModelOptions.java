package dev.rwkvedge.cli;

import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.model.SyntheticModel;
import dev.rwkvedge.tokenizer.Tokenizer;
import dev.rwkvedge.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What every command that opens a model accepts. */
final class ModelOptions {
    @Parameters(index = "0", paramLabel = "MODEL", converter = FileArgs.Model.class,
            description = "A model file: BlinkDL .pth, .safetensors/.st, "
            + "rwkv.cpp .bin or GGUF; or synthetic:rwkv7-0.1b, -0.4b or -1.5b (optionally :f16 or :q8_0) for random "
            + "weights of that shape.")
    Path model;

    @Option(names = "--gn-eps", paramLabel = "EPS", converter = Ranges.Epsilon.class,
            description = "GroupNorm epsilon of ln_x (default: the file's "
            + "own runtime's: 1e-5 for rwkv.cpp v5 files, otherwise BlinkDL's 64e-5).")
    Float groupNormEps;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", converter = Ranges.Threads.class,
            description = "Threads, 1 to 4 x the processors (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--vocab", paramLabel = "FILE", converter = FileArgs.Input.class,
            description = "World-format vocabulary file (default: the file's "
            + "own, or a vocabulary beside the model).")
    Path vocab;

    Tokenizer tokenizer(LoadedModel m) throws IOException {
        return Tokenizers.forModel(m.checkpoint(), m.config().vocab(), vocab);
    }

    LoadedModel open() throws IOException {
        String name = model.toString();
        LoadedModel m = FileArgs.synthetic(model)
                ? LoadedModel.of(SyntheticModel.rwkv7(SyntheticModel.shape(name.substring(FileArgs.SYNTHETIC.length())), 1),
                        groupNormEps)
                : LoadedModel.open(model, groupNormEps);
        m.model().setThreads(threads);
        return m;
    }
}
