package dev.rwkvedge.compress.head;

import dev.rwkvedge.runtime.Head;
import dev.rwkvedge.runtime.Parallel;
import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.runtime.RwkvState;
import dev.rwkvedge.task.ProgressListener;
import java.util.Arrays;

/**
 * Makes a clustered head for a model: k-means over head or embedding rows, calibration text through the model to
 * record head inputs and the dense cluster masses, router distillation, and a report on held-out text. The model's
 * head is swapped for a recorder while text runs and is always restored; the model is unchanged afterwards.
 */
public final class ClusteredHeadBuilder {
    /** Tokens per forwardSequence call while recording: bounds the logits array to this many rows of V. */
    private static final int RECORD_CHUNK = 256;

    private final ClusteredHeadSettings settings;

    public ClusteredHeadBuilder(ClusteredHeadSettings settings) {
        this.settings = settings;
    }

    /**
     * @param calibration tokens to train the router on
     * @param heldOut     tokens for validation and the report; null or empty to hold out the tail of calibration
     */
    public ClusteredHeadResult build(RwkvModel model, int[] calibration, int[] heldOut, ProgressListener progress) {
        int C = model.config().embd();
        Head dense = model.head();
        if (dense instanceof ClusteredHead) throw new IllegalStateException("restore the dense head before rebuilding");
        Parallel par = new Parallel(model.threads());
        try {
            if (heldOut == null || heldOut.length == 0) {
                int cut = (int) Math.round(calibration.length * (1 - settings.heldOutShare()));
                heldOut = Arrays.copyOfRange(calibration, cut, calibration.length);
                calibration = Arrays.copyOf(calibration, cut);
            }
            if (calibration.length == 0 || heldOut.length == 0) {
                throw new IllegalArgumentException("need calibration and held-out tokens");
            }
            HeadRows head = HeadRows.of(dense, C);
            progress.update(0, 100, "clustering " + head.vocab() + " rows into " + settings.clusters());
            KMeans.Result clustering = cluster(model, head, par, stage(progress, 0, 30, "k-means"));
            ClusterIndex index = ClusterIndex.of(clustering.assignment(), clustering.k());
            HeadSamples train = record(model, index, calibration, stage(progress, 30, 55, "calibration text"));
            HeadSamples validation = record(model, index, heldOut, stage(progress, 55, 65, "held-out text"));
            RouterTrainer trainer = new RouterTrainer(settings.epochs(), settings.batchSize(), settings.learningRate(),
                    settings.seed());
            RouterTraining training = trainer.train(RouterTrainer.initial(head.rows(), head.bias(), index, C), train,
                    validation, par, stage(progress, 65, 95, "router"));
            ClusteredHead clustered = ClusteredHead.of(head.rows(), head.bias(), training.router(), index,
                    settings.selection(), settings.precision(), settings.cacheRows());
            if (settings.tailRank() > 0) {
                int rank = Math.min(settings.tailRank(), C);
                clustered = clustered.withTail(TailLogits.fit(head.rows(), index, C, rank, train.inputs(), train.count()));
            }
            HeadReport report = HeadReport.measure(dense, clustered, validation.inputs(), validation.count(), C, par);
            clustered = clustered.withRowsPerToken(report.meanRowsPerToken());
            progress.update(100, 100, "clustered head ready");
            return new ClusteredHeadResult(clustered, dense, clustering, training, report);
        } finally {
            par.shutdown();
        }
    }

    private KMeans.Result cluster(RwkvModel model, HeadRows head, Parallel par, ProgressListener progress) {
        int C = head.dim(), V = head.vocab();
        float[] rows = settings.space() == ClusterSpace.HEAD ? head.rows() : HeadRows.embeddingRows(model.embedding());
        int dims = settings.pcaDims() > 0 && settings.pcaDims() < C ? settings.pcaDims() : C;
        float[] points = Pca.project(rows, V, C, dims);
        return new KMeans(settings.clusters(), settings.kmeansIterations(), settings.seed()).fit(points, V, dims, par,
                progress);
    }

    /** Runs the tokens from a fresh state with a recorder in place of the head; the head is restored in any case. */
    static HeadSamples record(RwkvModel model, ClusterIndex index, int[] tokens, ProgressListener progress) {
        Head dense = model.head();
        RecordingHead recorder = new RecordingHead(dense, index, model.config().embd());
        model.setHead(recorder);
        try {
            RwkvState state = model.newState();
            for (int from = 0; from < tokens.length; from += RECORD_CHUNK) {
                progress.checkCancelled();
                int to = Math.min(tokens.length, from + RECORD_CHUNK);
                model.forwardSequence(Arrays.copyOfRange(tokens, from, to), state, true);
                progress.update(to, tokens.length, to + " of " + tokens.length + " tokens");
            }
        } finally {
            model.setHead(dense);
        }
        return recorder.samples();
    }

    /** Maps a stage's own progress onto [from, to) of the whole build, with the stage's name before its message. */
    static ProgressListener stage(ProgressListener parent, int from, int to, String name) {
        return new ProgressListener() {
            @Override
            public void update(long done, long total, String message) {
                long at = total > 0 ? from + (to - from) * Math.min(done, total) / total : from;
                parent.update(at, 100, name + ": " + message);
            }

            @Override
            public boolean isCancelled() {
                return parent.isCancelled();
            }
        };
    }
}
