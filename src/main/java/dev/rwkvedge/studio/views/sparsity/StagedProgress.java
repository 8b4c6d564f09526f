package dev.rwkvedge.studio.views.sparsity;

import dev.rwkvedge.task.ProgressListener;

/** One stage's own progress mapped onto its slice [from, to) of a 0..1000 bar, so one bar spans the whole job. */
record StagedProgress(ProgressListener parent, String stage, long from, long to) implements ProgressListener {
    static final long BAR = 1000;

    @Override
    public void update(long done, long total, String message) {
        long d = total > 0 ? from + (to - from) * Math.min(done, total) / total : from;
        parent.update(d, BAR, message == null ? stage : stage + ": " + message);
    }

    @Override
    public boolean isCancelled() {
        return parent.isCancelled();
    }
}
