package dev.rwkvedge.cli;

import dev.rwkvedge.analysis.ActivationProfiler;
import dev.rwkvedge.analysis.ActivationStats;
import dev.rwkvedge.analysis.AnalysisCache;
import dev.rwkvedge.analysis.AnalyzedMatrix;
import dev.rwkvedge.analysis.GramMatrix;
import dev.rwkvedge.analysis.GramSelection;
import dev.rwkvedge.analysis.LayerActivity;
import dev.rwkvedge.analysis.PowerLawFit;
import dev.rwkvedge.analysis.ProjectionKey;
import dev.rwkvedge.analysis.Spectrum;
import dev.rwkvedge.analysis.SpectrumMetrics;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.model.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Spectra of every weight matrix (stable and effective rank, ranks for 90/95/99%% energy, "
                + "power-law alpha, spectral norm), cached under the file's content hash; with --calibration also "
                + "the channel-mix sparsity per layer.",
                "--threads sets the threads of the spectra (one matrix per thread) and of the calibration run."})
final class AnalyzeCommand implements Callable<Integer> {
    @Mixin
    ModelOptions opts;

    @Option(names = "--calibration", paramLabel = "FILE", converter = FileArgs.Input.class,
            description = "UTF-8 text to run through the model for "
            + "activation statistics.")
    Path calibration;

    @Option(names = "--max-tokens", paramLabel = "N", converter = Ranges.Count.class, description = "Use at most N "
            + "calibration tokens (default: all).")
    Integer maxTokens;


    @Option(names = "--include-embeddings", description = "Also analyse emb and head (V x C; slow for a 65k vocabulary).")
    boolean embeddings;

    @Option(names = "--gram-max-width", paramLabel = "N", defaultValue = "0", converter = Ranges.NonNegativeInt.class,
            description = "With --calibration, also "
            + "accumulate the input Gram matrix of every projection at most N wide (8 N^2 bytes each; 4096 covers "
            + "all of an RWKV-7 0.1B model, about 1.4 GB) and report them (default: 0, none).")
    int gramMaxWidth;

    @Option(names = "--no-cache", description = "Neither read nor write the analysis cache.")
    boolean noCache;

    @Option(names = "--json", description = "Print everything, singular values included, as JSON.")
    boolean json;

    /** Process CPU time of the spectra: on a shared machine the wall time says more about the neighbours. */
    private double spectraCpuSeconds;

    @Override
    public Integer call() throws Exception {
        try (LoadedModel m = opts.open(); CliProgress bar = new CliProgress("analyze")) {
            long t0 = System.nanoTime(), cpu0 = processCpuNanos();
            AnalysisCache.Result spectra = noCache
                    ? AnalysisCache.uncached(m.checkpoint(), embeddings, opts.threads, bar)
                    : AnalysisCache.atDefaultLocation().spectra(m.checkpoint(), embeddings, opts.threads, bar);
            double spectraSeconds = (System.nanoTime() - t0) / 1e9;
            spectraCpuSeconds = (processCpuNanos() - cpu0) / 1e9;
            ActivationStats acts = null;
            double actSeconds = 0;
            if (calibration != null) {
                // raw bytes: a stray invalid UTF-8 sequence in a text dump should not stop the analysis
                int[] tokens = opts.tokenizer(m)
                        .encode(Files.readAllBytes(calibration));
                if (maxTokens != null && tokens.length > maxTokens) tokens = Arrays.copyOf(tokens, maxTokens);
                GramSelection grams = gramMaxWidth > 0 ? GramSelection.upToWidth(gramMaxWidth) : GramSelection.NONE;
                t0 = System.nanoTime();
                acts = ActivationProfiler.profile(m.model(), tokens, grams, bar);
                actSeconds = (System.nanoTime() - t0) / 1e9;
            }
            bar.close();
            if (json) Json.print(toJson(m, spectra, spectraSeconds, acts, actSeconds));
            else printTables(m, spectra, spectraSeconds, acts, actSeconds);
            return 0;
        }
    }

    private void printTables(LoadedModel m, AnalysisCache.Result r, double seconds, ActivationStats acts,
                             double actSeconds) {
        ModelConfig c = m.config();
        System.out.printf("model    %s (RWKV %s, %d layers, C=%d, F=%d, V=%d)%n", m.path().getFileName(),
                c.generation(), c.layers(), c.embd(), c.ffn(), c.vocab());
        if (r.sha256() != null) System.out.printf("sha256   %s%n", r.sha256());
        System.out.printf("cache    %s%n", noCache ? "disabled" : r.cacheStatus());
        System.out.printf("spectra  %d matrices in %.2f s (%.2f s CPU, %d thread(s))%n", r.spectra().matrices().size(),
                seconds, spectraCpuSeconds, opts.threads);
        System.out.printf("alpha    %s%n", "power-law exponent of the eigenvalue density of W^T W: continuous MLE, "
                + "xmin by minimum KS distance (Clauset et al. 2009); '-' when fewer than " + PowerLawFit.MIN_TAIL
                + " values");
        System.out.printf("kinds    weight; factor = one matrix of a LoRA pair; product = the pair's C x C product "
                + "(rank <= D)%n%n");
        System.out.printf("%-5s %-22s %-7s %-11s %8s %9s %5s %5s %5s %6s %9s%n", "layer", "matrix", "kind", "shape",
                "stable", "effective", "r90", "r95", "r99", "alpha", "||W||_2");
        for (AnalyzedMatrix a : r.spectra().matrices()) {
            Spectrum s = a.spectrum();
            SpectrumMetrics x = a.metrics();
            System.out.printf("%-5s %-22s %-7s %-11s %8.2f %9.2f %5d %5d %5d %6s %9.4g%n",
                    s.layer() < 0 ? "-" : Integer.toString(s.layer()), s.name(), kind(s.kind()),
                    s.rows() + "x" + s.cols(), x.stableRank(), x.effectiveRank(), x.rank90(), x.rank95(), x.rank99(),
                    x.powerLaw().fitted() ? String.format("%.2f", x.alpha()) : "-", x.spectralNorm());
        }
        if (acts == null) return;
        System.out.printf("%ncalibration  %s: %,d tokens in %.2f s%n", calibration.getFileName(), acts.tokens(),
                actSeconds);
        System.out.printf("%-5s %12s %12s %13s%n", "layer", "ffn sparsity", "mean firing", "dead neurons");
        for (LayerActivity l : acts.channelMix()) {
            System.out.printf("%-5d %11.1f%% %11.1f%% %6d / %-6d%n", l.layer(), 100 * l.sparsity(),
                    100 * l.meanFiring(), l.deadNeurons(), l.width());
        }
        if (!acts.grams().isEmpty()) {
            System.out.printf("%ngram matrices  %d projections up to %d wide, %,.1f MB%n", acts.grams().size(),
                    gramMaxWidth, acts.gramBytes() / 1e6);
        }
    }

    private Map<String, Object> toJson(LoadedModel m, AnalysisCache.Result r, double seconds, ActivationStats acts,
                                       double actSeconds) {
        ModelConfig c = m.config();
        Map<String, Object> j = new LinkedHashMap<>();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("file", m.path().getFileName().toString());
        model.put("generation", c.generation().label);
        model.put("layers", c.layers());
        model.put("embd", c.embd());
        model.put("ffn", c.ffn());
        model.put("vocab", c.vocab());
        j.put("model", model);
        j.put("sha256", r.sha256());
        j.put("cache", noCache ? "disabled" : r.cacheStatus());
        j.put("threads", opts.threads);
        j.put("spectra_seconds", round(seconds));
        j.put("spectra_cpu_seconds", round(spectraCpuSeconds));
        j.put("alpha_estimator", PowerLawFit.ESTIMATOR);
        j.put("kinds", Map.of("WEIGHT", "a dense weight", "LORA_FACTOR", "one matrix of a LoRA pair as stored",
                "LORA_PRODUCT", "the C x C product of a LoRA pair (x @ w1 @ w2 without the inner non-linearity), "
                        + "rank <= D"));
        j.put("methods", Map.of("SVD_F32", "EJML float32 values-only SVD", "GRAM_EIGEN_F64",
                "sqrt of the eigenvalues of the double Gram matrix of the short side (rectangular matrices)", "FACTORED_QR_F64",
                "SVD of R_A R_B^T from QR factors of the LoRA factors, in double; the other values are 0"));
        List<Object> matrices = new ArrayList<>();
        for (AnalyzedMatrix a : r.spectra().matrices()) matrices.add(matrixJson(a));
        j.put("matrices", matrices);
        if (acts != null) j.put("activations", activationJson(acts, actSeconds));
        return j;
    }

    private static Map<String, Object> matrixJson(AnalyzedMatrix a) {
        Spectrum s = a.spectrum();
        SpectrumMetrics x = a.metrics();
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("layer", s.layer() < 0 ? null : s.layer());
        e.put("name", s.name());
        e.put("kind", s.kind());
        e.put("method", s.method());
        e.put("rows", s.rows());
        e.put("cols", s.cols());
        e.put("stable_rank", x.stableRank());
        e.put("effective_rank", x.effectiveRank());
        e.put("rank90", x.rank90());
        e.put("rank95", x.rank95());
        e.put("rank99", x.rank99());
        e.put("spectral_norm", x.spectralNorm());
        e.put("frobenius_squared", x.frobeniusSquared());
        PowerLawFit p = x.powerLaw();
        e.put("alpha", p.fitted() ? p.alpha() : null);
        e.put("alpha_xmin", p.fitted() ? p.xmin() : null);
        e.put("alpha_tail", p.tail());
        e.put("alpha_ks", p.fitted() ? p.ksDistance() : null);
        Map<String, Long> saving = new LinkedHashMap<>();
        for (int rank : new int[] {x.rank90(), x.rank95(), x.rank99()}) saving.put(Integer.toString(rank), a.parameterSaving(rank));
        e.put("parameter_saving_at_rank", saving);
        e.put("singular_values", s.values());
        return e;
    }

    private Map<String, Object> activationJson(ActivationStats acts, double seconds) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("calibration", calibration.getFileName().toString());
        a.put("tokens", acts.tokens());
        a.put("seconds", round(seconds));
        List<Object> layers = new ArrayList<>();
        for (LayerActivity l : acts.channelMix()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("layer", l.layer());
            e.put("ffn_width", l.width());
            e.put("sparsity", l.sparsity());
            e.put("mean_firing", l.meanFiring());
            e.put("dead_neurons", l.deadNeurons());
            e.put("firing_frequency", l.firingFrequency());
            layers.add(e);
        }
        a.put("channel_mix", layers);
        List<Object> grams = new ArrayList<>();
        for (Map.Entry<ProjectionKey, GramMatrix> g : acts.grams().entrySet()) {
            double trace = 0;
            for (int i = 0; i < g.getValue().dim(); i++) trace += g.getValue().get(i, i);
            grams.add(Map.of("layer", g.getKey().layer(), "name", g.getKey().name(), "dim", g.getValue().dim(),
                    "bytes", g.getValue().bytes(), "mean_squared_norm", trace / Math.max(1, g.getValue().count())));
        }
        a.put("gram_matrices", grams);
        a.put("gram_bytes", acts.gramBytes());
        return a;
    }

    private static String kind(Spectrum.Kind k) {
        return switch (k) {
            case WEIGHT -> "weight";
            case LORA_FACTOR -> "factor";
            case LORA_PRODUCT -> "product";
        };
    }

    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
