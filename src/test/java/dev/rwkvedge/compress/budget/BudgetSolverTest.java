package dev.rwkvedge.compress.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import dev.rwkvedge.compress.Compressor;
import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.SizeReport;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.task.ProgressListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BudgetSolverTest {
    static final Path TINY = Reference.file("rwkv.cpp/tests/tiny-rwkv-7v0-834K-FP32.bin");
    static final int[] CALIBRATION = bytes("In the beginning the model was dense, and every matrix was full. Then came the "
            + "recipe, and the matrices were factored, and the factors were quantized, and it was small. And the "
            + "budget said: so small and no smaller, and the solver chose the parts that cost the least.");

    static int[] bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int[] t = new int[b.length];
        for (int i = 0; i < b.length; i++) t[i] = b[i] & 0xff;
        return t;
    }

    /** Low rank, embedding cache and int8: the parts that make sense on a 256-token vocabulary. */
    static final BudgetSolver.Settings SMALL = new BudgetSolver.Settings(List.of(
            List.of(PartOption.off("lowRank"), PartOptions.lowRank(0.25)),
            List.of(PartOption.off("embedding"), PartOptions.embedding(32)),
            List.of(PartOption.off(PartOptions.PRECISION), PartOptions.precision(dev.rwkvedge.compress.quant.Precision.INT8))),
            512, 3);

    @Test
    void aBudgetOfTheDenseSizeReturnsTheDenseModelWithoutMeasuring() throws Exception {
        AtomicInteger opened = new AtomicInteger();
        try (LoadedModel dense = LoadedModel.open(TINY)) {
            long denseBytes = SizeReport.of(dense.model(), 0).residentBytes();
            SolvedRecipe s = BudgetSolver.solve(() -> {
                opened.incrementAndGet();
                return LoadedModel.open(TINY);
            }, dense, CALIBRATION, denseBytes, SMALL, ProgressListener.NONE);
            Recipe r = s.recipe();
            assertNull(r.lowRank());
            assertNull(r.sparseFfn());
            assertNull(r.head());
            assertNull(r.embedding());
            assertNull(r.int8());
            assertEquals(denseBytes, s.measuredBytes());
            assertEquals(0, s.measuredKl());
            assertEquals(0, opened.get(), "nothing to measure when the dense model fits");
        }
    }

    @Test
    void aSmallerBudgetIsMetAndTheConfirmedSizeIsWhatTheCompressorReports() throws Exception {
        try (LoadedModel dense = LoadedModel.open(TINY)) {
            long denseBytes = SizeReport.of(dense.model(), 0).residentBytes();
            long budget = denseBytes / 3;
            SolvedRecipe s = BudgetSolver.solve(() -> LoadedModel.open(TINY), dense, CALIBRATION, budget, SMALL,
                    ProgressListener.NONE);
            assertTrue(s.fits());
            assertFalse(s.parts().isEmpty());
            try (LoadedModel m = LoadedModel.open(TINY)) {
                long applied = Compressor.apply(m, s.recipe(), CALIBRATION, ProgressListener.NONE).size().residentBytes();
                assertEquals(applied, s.measuredBytes());
                assertTrue(applied <= budget, applied + " > " + budget);
                // the parts touch disjoint components, so the sum of their savings is exact
                assertEquals(applied, s.predictedBytes());
            }
            assertTrue(s.measuredKl() >= 0 && s.measuredKl() < 5, "KL " + s.measuredKl());
        }
    }

    @Test
    void anImpossibleBudgetNamesTheSmallestReachableSize() throws Exception {
        try (LoadedModel dense = LoadedModel.open(TINY)) {
            var e = assertThrows(BudgetSolver.BudgetException.class, () -> BudgetSolver.solve(
                    () -> LoadedModel.open(TINY), dense, CALIBRATION, 1000, SMALL, ProgressListener.NONE));
            assertTrue(e.getMessage().contains("the smallest holds"), e.getMessage());
        }
    }
}
