package dev.rwkvedge.studio.views.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.task.CancelledException;
import dev.rwkvedge.task.ProgressListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A sweep's bar: each recipe's stages and their own progress fill that recipe's share of it. */
class StepProgressTest {
    private record Update(long done, long total, String message) {}

    private static final class Bar implements ProgressListener {
        final List<Update> seen = new ArrayList<>();
        boolean cancelled;

        @Override
        public void update(long done, long total, String message) {
            seen.add(new Update(done, total, message));
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }

    @Test
    void aStagesProgressLandsInItsStepsShareOfTheBar() {
        Bar bar = new Bar();
        // step 3 of 4 (index 2), three stages: the middle stage half done is 2 + 1.5 / 3 = 2.5 steps of 4
        StepProgress p = new StepProgress(bar, 2, 4, 3, "ratio 0.25");
        p.stage(1, "measuring agreement with dense");
        p.update(5, 10, "agreement: window 5 of 10");
        Update u = bar.seen.getLast();
        assertEquals(2500, u.done());
        assertEquals(4000, u.total());
        assertEquals("Sweep 3 of 4, ratio 0.25: agreement: window 5 of 10", u.message());
        // the stage's start: 2 + 1 / 3 steps
        assertEquals(Math.round((2 + 1 / 3.0) * 1000), bar.seen.get(bar.seen.size() - 2).done());
        // an unknown total counts as the stage's start, never past it
        p.stage(2, "writing");
        p.update(7, 0, "writing");
        assertEquals(Math.round((2 + 2 / 3.0) * 1000), bar.seen.getLast().done());
        p.update(10, 10, "written");
        assertEquals(3000, bar.seen.getLast().done());
    }

    @Test
    void theBarNeverGoesBackAcrossStagesAndSteps() {
        Bar bar = new Bar();
        for (int step = 0; step < 3; step++) {
            StepProgress p = new StepProgress(bar, step, 3, 3, "r" + step);
            for (int stage = 0; stage < 3; stage++) {
                p.stage(stage, "s" + stage);
                for (int i = 0; i <= 4; i++) p.update(i, 4, "i" + i);
            }
        }
        for (int i = 1; i < bar.seen.size(); i++) {
            assertTrue(bar.seen.get(i).done() >= bar.seen.get(i - 1).done(), "update " + i + " went back");
        }
        assertEquals(3000, bar.seen.getLast().done());
    }

    @Test
    void cancellingTheJobCancelsTheStep() {
        Bar bar = new Bar();
        StepProgress p = new StepProgress(bar, 0, 2, 3, "r");
        p.checkCancelled();
        bar.cancelled = true;
        assertThrows(CancelledException.class, p::checkCancelled);
    }
}
