package dev.rwkvedge.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.runtime.Generator;
import dev.rwkvedge.runtime.sampling.SamplerSettings;
import dev.rwkvedge.studio.jobs.JobRunner;
import dev.rwkvedge.studio.jobs.LatestRequest;
import dev.rwkvedge.tokenizer.ByteTokenizer;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import javafx.concurrent.Task;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class JobRunnerTest {
    private final JobRunner runner = new JobRunner();

    @Start
    void start(Stage stage) {
        // no window needed: the runner only needs the FX thread the extension starts
    }

    @AfterEach
    void close() {
        runner.close();
    }

    @Test
    void cancelStopsARunningGeneration(FxRobot robot) throws Exception {
        try (LoadedModel m = LoadedModel.open(Reference.file(GenerationViewTest.MODEL))) {
            CountDownLatch streaming = new CountDownLatch(1);
            AtomicReference<Generator.Result> result = new AtomicReference<>();
            CountDownLatch ended = new CountDownLatch(1);
            robot.interact(() -> runner.submit("Generating", progress -> {
                try {
                    Generator.Result r = new Generator(m.model(), new ByteTokenizer()).generate("The ", 1_000_000,
                            SamplerSettings.chat(1), List.of(), s -> streaming.countDown(), progress::isCancelled);
                    result.set(r);
                    return r;
                } finally {
                    ended.countDown();
                }
            }, r -> {}));
            assertTrue(streaming.await(30, TimeUnit.SECONDS));
            robot.interact(runner::cancelCurrent);
            assertTrue(ended.await(10, TimeUnit.SECONDS), "the job did not stop");
            assertEquals(Generator.Stop.CANCELLED, result.get().stop());
            assertTrue(result.get().generatedTokens() < 1_000_000);
            WaitForAsyncUtils.waitForFxEvents();
            assertEquals(null, runner.current().get());
            assertEquals("Generating: cancelled", runner.lastOutcome().get());
        }
    }

    @Test
    void theNewestRequestWinsEvenWhenTheOlderJobIgnoresCancel(FxRobot robot) throws Exception {
        List<String> delivered = new CopyOnWriteArrayList<>();
        LatestRequest<String> latest = new LatestRequest<>(runner, "Recomputing", delivered::add);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CountDownLatch firstDone = new CountDownLatch(1);
        List<Task<String>> tasks = new CopyOnWriteArrayList<>();
        robot.interact(() -> tasks.add(latest.submit(progress -> {
            // deliberately deaf to cancellation, even to the interrupt that Task.cancel() sends
            while (releaseFirst.getCount() > 0) {
                Thread.interrupted();
                LockSupport.parkNanos(1_000_000);
            }
            firstDone.countDown();
            return "first";
        })));
        robot.interact(() -> tasks.add(latest.submit(progress -> "second")));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> delivered.contains("second"));
        releaseFirst.countDown();
        assertTrue(firstDone.await(10, TimeUnit.SECONDS));
        Thread.sleep(100);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of("second"), delivered);
        assertTrue(tasks.get(0).isCancelled());
    }

    @Test
    void failuresReachTheErrorHandler(FxRobot robot) throws Exception {
        AtomicReference<Throwable> reported = new AtomicReference<>();
        runner.setErrorHandler((title, e) -> reported.set(e));
        robot.interact(() -> runner.submit("Reading", progress -> {
            throw new IOException("model.pth: truncated");
        }, v -> {}));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> reported.get() != null);
        assertInstanceOf(IOException.class, reported.get());
        assertEquals("Reading: failed", runner.lastOutcome().get());
    }
}
