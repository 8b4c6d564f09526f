package dev.rwkvedge.compress.sparse;

import dev.rwkvedge.task.ProgressListener;

/** Maps one stage's own progress onto a slice [offset, offset + span) of the whole job's. */
record StageProgress(ProgressListener parent, String stage, long offset, long span, long total)
        implements ProgressListener {

    @Override
    public void update(long done, long stageTotal, String message) {
        long d = stageTotal > 0 ? offset + span * Math.min(done, stageTotal) / stageTotal : offset;
        parent.update(d, total, stage + ": " + message);
    }

    @Override
    public boolean isCancelled() {
        return parent.isCancelled();
    }
}
