package dev.rwkvedge.compress;

import dev.rwkvedge.analysis.ActivationProfiler;
import dev.rwkvedge.analysis.ActivationStats;
import dev.rwkvedge.analysis.GramMatrix;
import dev.rwkvedge.analysis.ProjectionKey;
import dev.rwkvedge.compress.embedding.CachedEmbedding;
import dev.rwkvedge.compress.head.ClusteredHeadBuilder;
import dev.rwkvedge.compress.head.ClusteredHeadResult;
import dev.rwkvedge.compress.head.HeadReport;
import dev.rwkvedge.compress.quant.Precision;
import dev.rwkvedge.compress.quant.QuantReport;
import dev.rwkvedge.compress.sparse.MlpTrainer;
import dev.rwkvedge.compress.sparse.PredictorKind;
import dev.rwkvedge.compress.sparse.PredictorReport;
import dev.rwkvedge.compress.sparse.SparseChannelMix;
import dev.rwkvedge.compress.sparse.SparseChannelMixBuilder;
import dev.rwkvedge.compress.resident.RowPrecision;
import dev.rwkvedge.compress.sparse.SparseInstallation;
import dev.rwkvedge.compress.sparse.SparseSettings;
import dev.rwkvedge.io.Generation;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.runtime.Block;
import dev.rwkvedge.runtime.DenseHead;
import dev.rwkvedge.runtime.DenseProjection;
import dev.rwkvedge.runtime.Int8Projection;
import dev.rwkvedge.runtime.LowRankProjection;
import dev.rwkvedge.runtime.Projection;
import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.task.ProgressListener;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a recipe to a freshly loaded model by substituting its parts (compression is substitution): low-rank
 * pairs and int8 projections in the blocks, then the other techniques. The model is changed in place.
 */
public final class Compressor {
    /** What was done, per matrix, for reports and the exported metadata. */
    public record Applied(Map<String, Integer> ranks, Map<String, Double> truncationLoss, List<String> int8Matrices,
                          List<PredictorReport> sparseFfn, HeadReport head, SizeReport size, QuantReport quantization) {
        public Applied(Map<String, Integer> ranks, Map<String, Double> truncationLoss, List<String> int8Matrices,
                       List<PredictorReport> sparseFfn, HeadReport head, SizeReport size) {
            this(ranks, truncationLoss, int8Matrices, sparseFfn, head, size, QuantReport.NONE);
        }
    }

    /** Widest input whose Gram matrix error feedback collects. */
    static final int FEEDBACK_MAX_WIDTH = 1024;

    private Compressor() {}

    /**
     * Where the expensive parts of a compression come from: computed on the spot (DIRECT, the CLI), or a cache that
     * keeps them across recipes (the studio's compress/cache). Each call gets what the part depends on.
     */
    public interface Artefacts {
        Artefacts DIRECT = new Artefacts() {};

        /** A work step that may fail with a recipe problem. */
        interface Step<T> {
            T run() throws Recipe.RecipeException;
        }

        default LowRankFactorizer factorizer(String matrix, boolean whitened, double ridge, int[] calibration,
                                             Step<LowRankFactorizer> compute) throws Recipe.RecipeException {
            return compute.run();
        }

        /**
         * The rank-r pair cut from a factorizer, in float: precision is applied afterwards to every block matrix
         * (BlockQuantization).
         */
        default LowRankProjection cut(LowRankFactorizer f, int rank) {
            return f.factor(rank);
        }

        /** The int8 form of an unchanged dense projection, by its full name ("blocks.0.att.key", "head"). */
        default Projection int8(String name, Projection p) {
            return int8Of(p);
        }

        default List<PredictorReport> sparse(RwkvModel model, SparseSettings s, int[] calibration,
                                             ProgressListener progress) {
            SparseInstallation inst = new SparseChannelMixBuilder(model).build(calibration, s, progress);
            inst.install();
            return inst.reports();
        }

        default ClusteredHeadResult head(RwkvModel model, dev.rwkvedge.compress.head.ClusteredHeadSettings s,
                                         int[] calibration, ProgressListener progress) {
            return new ClusteredHeadBuilder(s).build(model, calibration, null, progress);
        }
    }

    /** The paper's choice per generation: time-mix R, K, V (G) and channel-mix R; v7 has neither G nor ffn R. */
    public static List<String> defaultLowRankMatrices(Generation g) {
        return switch (g) {
            case V4, V5_1 -> List.of("att.receptance", "att.key", "att.value", "ffn.receptance");
            case V5_2, V6 -> List.of("att.receptance", "att.key", "att.value", "att.gate", "ffn.receptance");
            case V7 -> List.of("att.receptance", "att.key", "att.value");
        };
    }

    public static Applied apply(LoadedModel m, Recipe recipe, int[] calibration, ProgressListener progress)
            throws Recipe.RecipeException {
        return apply(m, recipe, calibration, Artefacts.DIRECT, progress);
    }

    public static Applied apply(LoadedModel m, Recipe recipe, int[] calibration, Artefacts artefacts,
                                ProgressListener progress) throws Recipe.RecipeException {
        RwkvModel model = m.model();
        Generation gen = m.config().generation();
        if (recipe.generation() != null && Generation.parse(recipe.generation()) != gen) {
            throw new Recipe.RecipeException("the recipe is for RWKV v" + recipe.generation() + " but "
                    + m.path().getFileName() + " is RWKV " + gen);
        }
        long denseParams = SizeReport.of(model, 0).parameters();
        boolean int8 = recipe.int8() != null && recipe.int8().on();
        Recipe.Quantization precision = recipe.precision() != null ? recipe.precision()
                : int8 ? new Recipe.Quantization(Precision.INT8, null, false) : null;
        // profiled on first need only: error feedback needs it up front, whitened SVD only when the cache misses
        ActivationStats[] stats = {null};
        Artefacts.Step<ActivationStats> profile = () -> {
            if (stats[0] == null) stats[0] = inputStatistics(model, gen, recipe, precision, calibration, progress);
            return stats[0];
        };
        if (precision != null && precision.feedback()) profile.run();
        Map<String, Integer> ranks = new LinkedHashMap<>();
        Map<String, Double> losses = new LinkedHashMap<>();
        if (recipe.lowRank() != null) {
            lowRank(model, gen, recipe.lowRank(), profile, calibration, artefacts, ranks, losses, progress);
        }
        List<PredictorReport> sparse = List.of();
        if (recipe.sparseFfn() != null) {
            if (calibration == null) throw new Recipe.RecipeException("the sparse channel mix needs calibration text");
            sparse = artefacts.sparse(model, sparseSettings(recipe.sparseFfn(), m.config().layers()), calibration,
                    progress);
            if (recipe.sparseFfn().cacheNeurons() != null) {
                for (Block b : model.blocks()) {
                    b.setChannelMix(((SparseChannelMix) b.channelMix()).withCacheNeurons(recipe.sparseFfn().cacheNeurons()));
                }
            }
        }
        HeadReport headReport = null;
        if (recipe.head() != null) {
            if (calibration == null) throw new Recipe.RecipeException("the clustered head needs calibration text");
            ClusteredHeadResult r = artefacts.head(model, recipe.head(), calibration, progress);
            headReport = r.report();
            model.setHead(r.head().withRowsPerToken(headReport.meanRowsPerToken()));
        }
        List<String> int8Done = new ArrayList<>();
        QuantReport quant = QuantReport.NONE;
        if (precision != null) {
            quant = BlockQuantization.apply(model, precision, stats[0], progress);
            quant.precisions().forEach((name, p) -> {
                if (p == Precision.INT8) int8Done.add(name);
            });
        }
        if (precision != null && (precision.fallback() == Precision.INT8 || precision.fallback() != null && precision.fallback().grouped())) {
            // the neuron bundles follow the recipe's default precision down to int8 (4-bit bundles do not exist yet)
            for (int l = 0; l < model.blocks().size(); l++) {
                Block b = model.blocks().get(l);
                if (b.channelMix() instanceof SparseChannelMix sm && sm.precision() != RowPrecision.INT8) {
                    b.setChannelMix(sm.toInt8());
                    int8Done.add("blocks." + l + ".ffn.neurons");
                }
            }
        }
        if (int8 && model.head() instanceof DenseHead(DenseProjection d) && !model.config().hasHeadBias()) {
            model.setHead(new DenseHead(artefacts.int8("head", d)));
            int8Done.add("head");
        }
        if (recipe.embedding() != null) CachedEmbedding.install(model, recipe.embedding());
        return new Applied(ranks, losses, int8Done, sparse, headReport, SizeReport.of(model, denseParams), quant);
    }

    /**
     * One calibration pass over the dense model for the Gram matrices of the inputs that whitened SVD and error
     * feedback need, or null when neither is asked for (or there is no calibration text for error feedback).
     */
    private static ActivationStats inputStatistics(RwkvModel model, Generation gen, Recipe recipe,
                                                   Recipe.Quantization precision,
                                                   int[] calibration, ProgressListener progress)
            throws Recipe.RecipeException {
        boolean whitened = recipe.lowRank() != null && recipe.lowRank().whitened();
        boolean feedback = precision != null && precision.feedback() && calibration != null && calibration.length >= 2;
        if (!whitened && !feedback) return null;
        if (calibration == null || calibration.length < 2) {
            throw new Recipe.RecipeException("whitened SVD needs calibration text");
        }
        Set<String> lowRank = new HashSet<>(recipe.lowRank() == null ? List.of()
                : recipe.lowRank().matrices() != null ? recipe.lowRank().matrices()
                : defaultLowRankMatrices(gen));
        // error feedback on inputs wider than this would hold 8 width^2 bytes per matrix (75 MB at 3072) for little
        // gain over plain rounding; those matrices are rounded plainly
        return ActivationProfiler.profile(model, calibration, (layer, projection, width) ->
                feedback && width <= FEEDBACK_MAX_WIDTH || lowRank.contains(projection), progress);
    }

    private static void lowRank(RwkvModel model, Generation gen, Recipe.LowRank lr, Artefacts.Step<ActivationStats> stats,
                                int[] calibration, Artefacts artefacts, Map<String, Integer> ranks, Map<String, Double> losses, ProgressListener progress)
            throws Recipe.RecipeException {
        List<String> names = lr.matrices() != null ? lr.matrices() : defaultLowRankMatrices(gen);
        boolean whitened = lr.whitened();
        Map<String, Projection> targets = new LinkedHashMap<>();
        for (int l = 0; l < model.blocks().size(); l++) {
            Map<String, Projection> all = allProjections(model.blocks().get(l));
            for (String n : names) {
                Projection p = all.get(n);
                if (p == null) {
                    throw new Recipe.RecipeException("lowRank.matrices names " + n + ", which an RWKV " + gen
                            + " block does not have (it has " + all.keySet() + ")");
                }
                if (!(p instanceof DenseProjection)) {
                    throw new Recipe.RecipeException("blocks." + l + "." + n + " is already compressed");
                }
                targets.put("blocks." + l + "." + n, p);
            }
        }
        RankPlanner.checkOverrides(List.copyOf(targets.keySet()), lr.overrides());
        // only the budget rule needs every spectrum at once; otherwise each factorizer is dropped once cut
        Map<String, LowRankFactorizer> factors = new LinkedHashMap<>();
        List<RankPlanner.Candidate> cands = new ArrayList<>();
        // the pairs replace their matrices only after the loop, so a profile taken inside it sees the dense model
        Map<String, Projection> pairs = new LinkedHashMap<>();
        int done = 0;
        for (var e : targets.entrySet()) {
            progress.checkCancelled();
            progress.update(done++, targets.size(), "SVD of " + e.getKey());
            DenseProjection d = (DenseProjection) e.getValue();
            String name = e.getKey();
            LowRankFactorizer f = artefacts.factorizer(name, whitened, lr.ridgeOrDefault(), calibration, () -> {
                float[] w = d.toArray();
                if (!whitened) return LowRankFactorizer.plain(w, d.outDim(), d.inDim());
                GramMatrix g = stats.run().grams().get(key(name));
                if (g == null) throw new Recipe.RecipeException("no calibration input reached " + name);
                return LowRankFactorizer.whitened(w, d.outDim(), d.inDim(), g.toArray(), lr.ridgeOrDefault());
            });
            var c = new RankPlanner.Candidate(e.getKey(), d.outDim(), d.inDim(), f.singularValues());
            if (lr.rule().global()) {
                factors.put(e.getKey(), f);
                cands.add(c);
            } else {
                cut(pairs, e.getKey(), f, RankPlanner.rank(c, lr.rule(), lr.overrides()), artefacts, ranks, losses);
            }
        }
        if (!factors.isEmpty()) {
            Map<String, Integer> planned = RankPlanner.plan(cands, lr.rule(), lr.overrides());
            for (var e : factors.entrySet()) {
                cut(pairs, e.getKey(), e.getValue(), planned.get(e.getKey()), artefacts, ranks, losses);
            }
        }
        pairs.forEach((name, pair) -> replace(model, name, pair));
        progress.update(targets.size(), targets.size(), "low rank done");
    }

    private static void cut(Map<String, Projection> pairs, String name, LowRankFactorizer f, int rank,
                            Artefacts artefacts, Map<String, Integer> ranks, Map<String, Double> losses) {
        ranks.put(name, rank);
        losses.put(name, f.truncationError(rank));
        pairs.put(name, artefacts.cut(f, rank));
    }

    /** The recipe's sparse section over the paper's defaults. */
    public static SparseSettings sparseSettings(Recipe.SparseFfn r, int layers) throws Recipe.RecipeException {
        SparseSettings s = SparseSettings.defaults(r.predictor() == null ? PredictorKind.MLP : r.predictor());
        if (r.threshold() != null) s = s.withThreshold(r.threshold());
        if (r.oneBitSparsity() != null) s = s.withOneBitSparsity(r.oneBitSparsity());
        if (r.mlpWidth() != null) {
            MlpTrainer.Settings d = MlpTrainer.Settings.DEFAULT;
            s = s.withMlp(new MlpTrainer.Settings(r.mlpWidth(), d.epochs(), d.learningRate(), d.seed()));
        }
        if (r.samples() != null) s = s.withSamplesPerLayer(r.samples());
        if (r.layerThresholds() != null) {
            double[] t = new double[layers];
            for (int l = 0; l < layers; l++) t[l] = s.thresholdFor(l);
            for (var e : r.layerThresholds().entrySet()) {
                int l;
                try {
                    l = Integer.parseInt(e.getKey());
                } catch (NumberFormatException ex) {
                    throw new Recipe.RecipeException("sparseFfn.layerThresholds key \"" + e.getKey() + "\" is not a layer index");
                }
                if (l < 0 || l >= layers) throw new Recipe.RecipeException("sparseFfn.layerThresholds names layer " + l
                        + " but the model has " + layers);
                t[l] = e.getValue();
            }
            s = s.withLayerThresholds(t);
        }
        return s;
    }

    static ProjectionKey key(String fullName) {
        int dot = fullName.indexOf('.', 7);
        return new ProjectionKey(Integer.parseInt(fullName.substring(7, dot)), fullName.substring(dot + 1));
    }

    static Map<String, Projection> allProjections(Block b) {
        Map<String, Projection> all = new LinkedHashMap<>(b.timeMix().projections());
        all.putAll(b.channelMix().projections());
        return all;
    }

    static void replace(RwkvModel model, String fullName, Projection p) {
        int dot = fullName.indexOf('.', 7);
        int layer = Integer.parseInt(fullName.substring(7, dot));
        String name = fullName.substring(dot + 1);
        Block b = model.blocks().get(layer);
        if (name.startsWith("att.")) b.timeMix().replace(name, p);
        else b.channelMix().replace(name, p);
    }

    static Projection int8Of(Projection p) {
        DenseProjection d = (DenseProjection) p;
        return Int8Projection.quantize(d.toArray(), d.outDim(), d.inDim());
    }
}
