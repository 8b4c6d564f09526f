package dev.rwkvedge.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rwkvedge.Reference;
import dev.rwkvedge.model.LoadedModel;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ParallelTest {
    @Test
    void everyIndexRunsExactlyOnceAcrossManyJobs() {
        Parallel par = new Parallel(2);
        try {
            for (int n : new int[] {2, 3, 7, 64, 1000, 4099}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                for (int job = 0; job < 50; job++) {
                    par.forRange(n, Parallel.MIN_WORK, (from, to) -> {
                        for (int i = from; i < to; i++) hits.incrementAndGet(i);
                    });
                }
                for (int i = 0; i < n; i++) assertEquals(50, hits.get(i), "n=" + n + " index " + i);
            }
        } finally {
            par.shutdown();
        }
    }

    @Test
    void aFailureInAnyChunkReachesTheCallerAndTheTeamKeepsWorking() {
        Parallel par = new Parallel(2);
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> par.forRange(100, Parallel.MIN_WORK,
                    (from, to) -> {
                        if (from <= 77 && 77 < to) throw new IllegalStateException("chunk with 77");
                    }));
            assertEquals("chunk with 77", e.getMessage());
            int[] sum = new int[1];
            par.forRange(10, Parallel.MIN_WORK, (from, to) -> {
                synchronized (sum) {
                    sum[0] += to - from;
                }
            });
            assertEquals(10, sum[0]);
        } finally {
            par.shutdown();
        }
    }

    @Test
    void aLoopInsideALoopRunsOnItsOwnThread() {
        Parallel par = new Parallel(2);
        try {
            AtomicIntegerArray hits = new AtomicIntegerArray(40 * 40);
            par.forRange(40, Parallel.MIN_WORK, (from, to) -> {
                for (int i = from; i < to; i++) {
                    int row = i;
                    par.forRange(40, Parallel.MIN_WORK, (f, t) -> {
                        for (int j = f; j < t; j++) hits.incrementAndGet(row * 40 + j);
                    });
                }
            });
            for (int i = 0; i < hits.length(); i++) assertEquals(1, hits.get(i));
        } finally {
            par.shutdown();
        }
    }

    /** Threads split rows, never a dot product: two threads give the bits of one, and reused buffers change nothing. */
    @ParameterizedTest
    @ValueSource(strings = {"4v0-660K", "5v2-730K", "7v0-834K"})
    void twoThreadsAndReusedBuffersGiveTheLogitsOfOneThreadAndFreshBuffers(String model) throws Exception {
        int[] prompt = ReferenceLogitsTest.PROMPT_70;
        try (LoadedModel one = LoadedModel.open(Reference.file("rwkv.cpp/tests/tiny-rwkv-" + model + "-FP32.bin"));
             LoadedModel two = LoadedModel.open(Reference.file("rwkv.cpp/tests/tiny-rwkv-" + model + "-FP32.bin"))) {
            two.model().setThreads(2);
            float[] expected = ReferenceLogitsTest.serial(one, prompt);
            int V = one.config().vocab();
            RwkvState st = two.model().newState();
            float[] row = new float[V];
            for (int t = 0; t < prompt.length; t++) {
                // a sequence call in between uses the other set of buffers and must not disturb this state
                if (t % 10 == 5) two.model().forwardSequence(prompt, two.model().newState(), false);
                two.model().forward(prompt[t], st, row);
                assertArrayEquals(java.util.Arrays.copyOfRange(expected, t * V, (t + 1) * V), row, model + " token " + t);
            }
            assertArrayEquals(expected, two.model().forwardSequence(prompt, two.model().newState(), true), model);
            two.model().setThreads(1);
        }
    }
}
