package dev.rwkvedge.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.SizeReport;
import dev.rwkvedge.studio.views.compress.ParetoFront;
import dev.rwkvedge.studio.views.compress.QualityMetric;
import dev.rwkvedge.studio.views.compress.SizeAxis;
import dev.rwkvedge.studio.views.compress.TradeOffPoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParetoFrontTest {
    private static TradeOffPoint point(double ratio, long bytes, double top1, double kl) {
        Recipe r = new Recipe(null, new Recipe.LowRank(dev.rwkvedge.compress.LowRankMethod.SVD, null, dev.rwkvedge.compress.RankRule.ratio(ratio), null,
                null), null, null, null, null, null);
        return TradeOffPoint.sized(r, new SizeReport(List.of(new SizeReport.Part("all", bytes / 4, bytes)), 1000))
                .withProxy(top1, kl, 2 * (1000 - bytes));
    }

    @Test
    void keepsThePointsNoSmallerOrEqualPointBeats() {
        TradeOffPoint small = point(0.1, 100, 0.5, 0.9);
        TradeOffPoint dominated = point(0.2, 200, 0.4, 1.0);
        TradeOffPoint mid = point(0.3, 300, 0.8, 0.3);
        TradeOffPoint sameSizeWorse = point(0.31, 300, 0.7, 0.2);
        TradeOffPoint large = point(0.5, 500, 0.95, 0.05);
        List<TradeOffPoint> all = List.of(large, dominated, sameSizeWorse, mid, small);

        assertEquals(List.of(small, mid, large), ParetoFront.of(all, QualityMetric.TOP1, SizeAxis.RESIDENT));
        // lower KL is better: at 300 bytes the other point wins on this metric
        assertEquals(List.of(small, sameSizeWorse, large), ParetoFront.of(all, QualityMetric.MEAN_KL, SizeAxis.RESIDENT));
        // no task scores measured yet: no front
        assertEquals(List.of(), ParetoFront.of(all, QualityMetric.TASK, SizeAxis.RESIDENT));
        // on the file axis these files shrink as the resident size grows: only the best, largest-resident point is
        // smallest on disk and beats every other
        assertEquals(List.of(large), ParetoFront.of(all, QualityMetric.TOP1, SizeAxis.FILE));
        // a point whose file is not measured yet takes no part on the file axis
        TradeOffPoint unmeasured = TradeOffPoint.sized(small.recipe(), small.size());
        assertEquals(List.of(), ParetoFront.of(List.of(unmeasured), QualityMetric.TOP1, SizeAxis.FILE));
    }
}
