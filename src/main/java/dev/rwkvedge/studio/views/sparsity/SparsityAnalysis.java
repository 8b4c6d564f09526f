package dev.rwkvedge.studio.views.sparsity;

import dev.rwkvedge.analysis.ActivationProfiler;
import dev.rwkvedge.analysis.ActivationStats;
import dev.rwkvedge.analysis.GramSelection;
import dev.rwkvedge.compress.Calibration;
import dev.rwkvedge.compress.sparse.PredictorKind;
import dev.rwkvedge.compress.sparse.PredictorReport;
import dev.rwkvedge.compress.sparse.SparseChannelMixBuilder;
import dev.rwkvedge.compress.sparse.SparseInstallation;
import dev.rwkvedge.compress.sparse.SparseSettings;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.task.ProgressListener;
import dev.rwkvedge.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * The sparsity job: profiles the channel mixes on calibration text, builds each layer's predictor and sweeps its
 * threshold. It works on a second copy of the model: the builder needs dense channel mixes it may swap, and the
 * studio's own model stays free for generation meanwhile. The copy is closed with its dense mixes, never installed.
 */
final class SparsityAnalysis {
    /** Thresholds the curve is measured at; the slider snaps to them. */
    static final double STEP = 0.05;

    private SparsityAnalysis() {}

    static double[] thresholds() {
        int n = (int) Math.round(1 / STEP);
        double[] t = new double[n + 1];
        for (int i = 0; i <= n; i++) t[i] = Math.round(i * STEP * 1000) / 1000.0;
        return t;
    }

    static SparsityProfile run(Path modelFile, Path calibration, Tokenizer tokenizer, PredictorKind kind,
                               ProgressListener progress) throws IOException {
        progress.update(0, StagedProgress.BAR, "Reading " + calibration.getFileName());
        int[] tokens = Calibration.tokens(calibration, tokenizer, Calibration.DEFAULT_TOKENS);
        SparseSettings settings = SparseSettings.defaults(kind);
        try (LoadedModel copy = LoadedModel.open(modelFile)) {
            progress.checkCancelled();
            ActivationStats stats = ActivationProfiler.profile(copy.model(), tokens, GramSelection.NONE,
                    new StagedProgress(progress, "Profiling channel mixes", 0, 200));
            SparseInstallation built = new SparseChannelMixBuilder(copy.model()).build(tokens, settings,
                    new StagedProgress(progress, "Training predictors", 200, 900));
            int layers = stats.channelMix().size();
            AtomicInteger swept = new AtomicInteger();
            // each point re-runs the predictor over the held-out samples; layers are independent and the predictors
            // immutable, so the layers share the cores
            List<List<PredictorReport.SweepPoint>> sweeps = IntStream.range(0, layers).parallel().mapToObj(l -> {
                progress.checkCancelled();
                List<PredictorReport.SweepPoint> sweep = built.thresholdSweep(l, thresholds());
                progress.update(900 + 100L * swept.incrementAndGet() / layers, StagedProgress.BAR, "Sweeping thresholds");
                return sweep;
            }).toList();
            double trained = kind == PredictorKind.ONE_BIT ? settings.oneBitSparsity() : settings.threshold();
            return new SparsityProfile(calibration, tokens.length, kind, trained, stats.channelMix(), built.reports(),
                    sweeps);
        }
    }
}
