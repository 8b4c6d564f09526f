package dev.rwkvedge.studio.views.compress;

import dev.rwkvedge.task.ProgressListener;

/**
 * One step of a many-step job (a recipe of a sweep) as the job's bar sees it: the step's stages (build, proxy, file)
 * and each stage's own progress fill that step's share of the bar, so a slow step moves the bar instead of freezing
 * it, and its message says which recipe is at which stage. Cancelling the job cancels the step.
 */
final class StepProgress implements ProgressListener {
    /** Bar units per step: fine enough for a smooth bar, whole numbers for the listener. */
    static final long UNITS = 1000;

    private final ProgressListener job;
    private final int step, steps, stages;
    private final String label;
    private volatile int stage;

    /**
     * @param step   this step's index, from 0
     * @param steps  the job's steps
     * @param stages the stages of a step
     */
    StepProgress(ProgressListener job, int step, int steps, int stages, String label) {
        this.job = job;
        this.step = step;
        this.steps = steps;
        this.stages = stages;
        this.label = label;
    }

    /** The next stage starts (from 0). */
    void stage(int s, String message) {
        stage = Math.min(s, stages - 1);
        update(0, 0, message);
    }

    @Override
    public void update(long done, long total, String message) {
        double inner = total > 0 ? Math.min(1, Math.max(0, (double) done / total)) : 0;
        long at = Math.round((step + (stage + inner) / stages) * UNITS);
        String m = message == null || message.isBlank() ? label : label + ": " + message;
        job.update(at, steps * UNITS, "Sweep " + (step + 1) + " of " + steps + ", " + m);
    }

    @Override
    public boolean isCancelled() {
        return job.isCancelled();
    }
}
