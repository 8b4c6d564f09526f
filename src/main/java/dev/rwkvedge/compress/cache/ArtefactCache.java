package dev.rwkvedge.compress.cache;

import dev.rwkvedge.compress.Compressor;
import dev.rwkvedge.compress.LowRankFactorizer;
import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.budget.BudgetSolver;
import dev.rwkvedge.compress.head.ClusteredHead;
import dev.rwkvedge.compress.head.ClusteredHeadBuilder;
import dev.rwkvedge.compress.head.ClusteredHeadResult;
import dev.rwkvedge.compress.head.ClusteredHeadSettings;
import dev.rwkvedge.compress.head.HeadReport;
import dev.rwkvedge.compress.head.HeadSamples;
import dev.rwkvedge.compress.head.RecordingHead;
import dev.rwkvedge.compress.head.Selection;
import dev.rwkvedge.compress.size.AnalyticSize;
import dev.rwkvedge.compress.sparse.PredictorKind;
import dev.rwkvedge.compress.sparse.PredictorReport;
import dev.rwkvedge.compress.sparse.SparseChannelMixBuilder;
import dev.rwkvedge.compress.sparse.SparseInstallation;
import dev.rwkvedge.compress.sparse.SparseSettings;
import dev.rwkvedge.compress.sparse.SparsityPredictor;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.runtime.Block;
import dev.rwkvedge.runtime.DenseChannelMix;
import dev.rwkvedge.runtime.LowRankProjection;
import dev.rwkvedge.runtime.Parallel;
import dev.rwkvedge.runtime.Projection;
import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.runtime.RwkvState;
import dev.rwkvedge.task.ProgressListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The expensive parts of compressing one model, each kept under exactly the inputs it depends on, so a recipe change
 * recomputes only what it touches: one decomposition per (matrix, plain or whitened, ridge, calibration) serves every
 * rank; the cut pair per (decomposition, rank, int8); int8 forms of unchanged matrices per name; the clustered head's
 * clustering and router per its settings but the selection (coverage, min and max clusters only re-measure, against
 * dense head logits computed once); the sparse predictors per (kind, MLP settings, samples, calibration), their
 * thresholds moved without retraining, and their validation reports per threshold; and the head inputs a body gives
 * on the studio's fixed proxy text ({@link HeadInputs}), so a head-only change runs only its head.
 *
 * <p>Heads and predictors are trained on a private dense copy of the model, not on the copy being compressed: so a
 * recipe's result does not depend on which recipes came before it. (The CLI trains them after the low-rank step;
 * the two differ only when a recipe combines low rank with a head or sparse FFN.) Thread-safe: one build at a time.
 */
public final class ArtefactCache implements Compressor.Artefacts, AnalyticSize.Known, AutoCloseable {
    private static final int RECORD_CHUNK = 256;
    private static final int HEAD_INPUTS_KEPT = 32;

    private final Path modelFile;
    // the three maps the analytic size reads are concurrent: it reads them without waiting for a build's lock
    private final Map<String, LowRankFactorizer> factorizers = new ConcurrentHashMap<>();
    private final Map<LowRankFactorizer, Map<Integer, LowRankProjection>> cuts = new IdentityHashMap<>();
    private final Map<String, Projection> int8 = new HashMap<>();
    private final Map<String, ClusteredHeadResult> heads = new ConcurrentHashMap<>();
    private final Map<String, HeadSamples> headValidation = new HashMap<>();
    private final Map<String, HeadReport> headReports = new HashMap<>();
    private final Map<String, ReplayedHead> denseReplays = new HashMap<>();
    private final Map<String, PredictorReport> predictorReports = new HashMap<>();
    private final Map<String, SparseInstallation> sparse = new ConcurrentHashMap<>();
    private final Map<String, BudgetSolver.Sensitivities> sensitivities = new HashMap<>();
    // per body (a recipe less what only the head reads): about 0.5 MB each for the sample, the least used dropped
    private final Map<String, HeadInputs> headInputs = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, HeadInputs> eldest) {
            return size() > HEAD_INPUTS_KEPT;
        }
    };
    private LoadedModel workbench;
    private long hits, misses;

    /** @param modelFile the dense model every compressed copy is opened from */
    public ArtefactCache(Path modelFile) {
        this.modelFile = modelFile;
    }

    @Override
    public synchronized LowRankFactorizer factorizer(String matrix, boolean whitened, double ridge, int[] calibration,
                                                     Step<LowRankFactorizer> compute) throws Recipe.RecipeException {
        String key = factorizerKey(matrix, whitened, ridge, calibration);
        LowRankFactorizer f = factorizers.get(key);
        if (f != null) {
            hits++;
            return f;
        }
        misses++;
        f = compute.run();
        factorizers.put(key, f);
        return f;
    }

    @Override
    public synchronized LowRankProjection cut(LowRankFactorizer f, int rank) {
        Map<Integer, LowRankProjection> byRank = cuts.computeIfAbsent(f, x -> new HashMap<>());
        LowRankProjection p = byRank.get(rank);
        if (p == null) {
            misses++;
            p = Compressor.Artefacts.super.cut(f, rank);
            byRank.put(rank, p);
        } else {
            hits++;
        }
        return p;
    }

    @Override
    public synchronized Projection int8(String name, Projection p) {
        Projection q = int8.get(name);
        if (q == null) {
            misses++;
            q = Compressor.Artefacts.super.int8(name, p);
            int8.put(name, q);
        } else {
            hits++;
        }
        return q;
    }

    @Override
    public synchronized List<PredictorReport> sparse(RwkvModel model, SparseSettings s, int[] calibration,
                                                     ProgressListener progress) {
        String key = sparseKey(s, calibration);
        SparseInstallation trained = sparse.get(key);
        if (trained == null) {
            misses++;
            trained = new SparseChannelMixBuilder(workbench().model()).build(calibration, s, progress);
            sparse.put(key, trained);
        } else {
            hits++;
        }
        List<PredictorReport> reports = new ArrayList<>();
        for (SparseInstallation.Layer l : trained.layers()) {
            double t = s.predictor() == PredictorKind.ONE_BIT ? s.sparsityFor(l.layer()) : s.thresholdFor(l.layer());
            SparsityPredictor p = l.mix().predictor().atThreshold(t);
            Block b = model.blocks().get(l.layer());
            b.setChannelMix(SparseChannelMixBuilder.fromDense((DenseChannelMix) b.channelMix(), p));
            // counting a predictor's decisions on the validation samples costs more than installing it: once per threshold
            reports.add(predictorReports.computeIfAbsent(key + "|" + l.layer() + "|" + t,
                    k -> PredictorReport.of(l.layer(), p, l.samples(), l.split().validation())));
        }
        return reports;
    }

    @Override
    public synchronized ClusteredHeadResult head(RwkvModel model, ClusteredHeadSettings s, int[] calibration,
                                                 ProgressListener progress) {
        Selection built = ClusteredHeadSettings.paper().selection();
        String key = headKey(s, calibration);
        ClusteredHeadResult r = heads.get(key);
        if (r == null) {
            misses++;
            r = new ClusteredHeadBuilder(s.withSelection(built)).build(workbench().model(), calibration, null, progress);
            heads.put(key, r);
        } else {
            hits++;
        }
        String reportKey = key + "|" + s.selection();
        HeadReport report = headReports.get(reportKey);
        ClusteredHead head = r.head().withSelection(s.selection());
        if (report == null) {
            report = s.selection().equals(built) ? r.report() : measure(head, s, calibration, key, r);
            headReports.put(reportKey, report);
        }
        return new ClusteredHeadResult(head.withRowsPerToken(report.meanRowsPerToken()), model.head(), r.clustering(),
                r.training(), report);
    }

    /** The builder's report for another selection: the same held-out head inputs (the tail of the calibration). */
    private HeadReport measure(ClusteredHead head, ClusteredHeadSettings s, int[] calibration, String key,
                               ClusteredHeadResult r) {
        RwkvModel dense = workbench().model();
        HeadSamples v = headValidation.get(key);
        if (v == null) {
            int cut = (int) Math.round(calibration.length * (1 - s.heldOutShare()));
            int[] tail = Arrays.copyOfRange(calibration, cut, calibration.length);
            RecordingHead recorder = new RecordingHead(dense.head(), r.head().index(), dense.config().embd());
            dense.setHead(recorder);
            try {
                RwkvState state = dense.newState();
                for (int from = 0; from < tail.length; from += RECORD_CHUNK) {
                    dense.forwardSequence(Arrays.copyOfRange(tail, from, Math.min(tail.length, from + RECORD_CHUNK)),
                            state, true);
                }
            } finally {
                dense.setHead(r.dense());
            }
            v = recorder.samples();
            headValidation.put(key, v);
        }
        // the dense side of every selection's measurement is the same: its logits are computed once, then replayed
        ReplayedHead denseHead = denseReplays.computeIfAbsent(key, k -> new ReplayedHead(r.dense()));
        denseHead.rewind();
        Parallel par = new Parallel(dense.threads());
        try {
            return HeadReport.measure(denseHead, head, v.inputs(), v.count(), v.dim(), par);
        } finally {
            par.shutdown();
        }
    }

    /**
     * The head inputs recorded for a body over the proxy's fixed stream, or null. The key names everything the head's
     * inputs depend on (the caller's business: the studio blanks the head and the cache sizes of a recipe).
     */
    public synchronized HeadInputs headInputs(String bodyKey) {
        HeadInputs in = headInputs.get(bodyKey);
        if (in != null) hits++;
        return in;
    }

    public synchronized void keepHeadInputs(String bodyKey, HeadInputs in) {
        misses++;
        headInputs.put(bodyKey, in);
    }

    /**
     * The budget solver's per-part measurements under a key naming its settings and calibration text, or null: they
     * do not depend on the budget, so a second fit to another size reuses them (the studio's "Fit to size").
     */
    public synchronized BudgetSolver.Sensitivities sensitivities(String key) {
        BudgetSolver.Sensitivities s = sensitivities.get(key);
        if (s != null) hits++;
        return s;
    }

    public synchronized void keepSensitivities(String key, BudgetSolver.Sensitivities s) {
        misses++;
        sensitivities.put(key, s);
    }

    private static String factorizerKey(String matrix, boolean whitened, double ridge, int[] calibration) {
        return matrix + (whitened ? "|whitened|" + ridge + "|" + fingerprint(calibration) : "|svd");
    }

    /** Thresholds (and a lone 1-bit predictor's p) move without retraining; an ensemble's p is part of its training. */
    private static String sparseKey(SparseSettings s, int[] calibration) {
        return s.predictor() + "|" + s.mlp() + "|" + s.samplesPerLayer() + "|" + s.validationFraction() + "|"
                + s.seed() + "|" + (s.predictor() == PredictorKind.BOTH ? s.oneBitSparsity() : "") + "|"
                + fingerprint(calibration);
    }

    /** The selection (coverage, min and max clusters) only re-measures a built head. */
    private static String headKey(ClusteredHeadSettings s, int[] calibration) {
        return s.withSelection(ClusteredHeadSettings.paper().selection()) + "|" + fingerprint(calibration);
    }

    @Override
    public double[] spectrum(String matrix, boolean whitened, double ridge, int[] calibration) {
        LowRankFactorizer f = factorizers.get(factorizerKey(matrix, whitened, ridge, calibration));
        return f == null ? null : f.singularValues();
    }

    @Override
    public Integer headClusters(ClusteredHeadSettings s, int[] calibration) {
        ClusteredHeadResult r = heads.get(headKey(s, calibration));
        return r == null ? null : r.head().router().clusters();
    }

    @Override
    public Map<Integer, long[]> predictors(SparseSettings s, int[] calibration) {
        SparseInstallation trained = sparse.get(sparseKey(s, calibration));
        if (trained == null) return null;
        Map<Integer, long[]> out = new TreeMap<>();
        for (SparseInstallation.Layer l : trained.layers()) {
            var p = l.mix().predictor();
            out.put(l.layer(), new long[] {p.parameters(), p.residentBytes()});
        }
        return out;
    }

    private LoadedModel workbench() {
        if (workbench == null) {
            try {
                workbench = LoadedModel.open(modelFile);
            } catch (IOException e) {
                throw new IllegalStateException("cannot reopen " + modelFile.getFileName() + ": " + e.getMessage(), e);
            }
        }
        return workbench;
    }

    /** Calibration tokens identified by their count and content hash (a recipe names its text by path, which can change). */
    static String fingerprint(int[] tokens) {
        return tokens == null ? "none" : tokens.length + ":" + Integer.toHexString(Arrays.hashCode(tokens));
    }

    /** Artefacts reused and computed so far, for reports ("12 reused, 3 computed"). */
    public synchronized long[] counts() {
        return new long[] {hits, misses};
    }

    @Override
    public synchronized void close() {
        if (workbench != null) workbench.close();
        workbench = null;
        factorizers.clear();
        cuts.clear();
        int8.clear();
        heads.clear();
        headValidation.clear();
        headReports.clear();
        denseReplays.clear();
        predictorReports.clear();
        sparse.clear();
        headInputs.clear();
        sensitivities.clear();
    }
}
