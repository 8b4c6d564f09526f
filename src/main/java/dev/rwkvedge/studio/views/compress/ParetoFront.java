package dev.rwkvedge.studio.views.compress;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The configurations no other one beats: none is at most as large and at least as good, and strictly one of them. */
public final class ParetoFront {
    private ParetoFront() {}

    /** The front by increasing size on the axis; points without a value for the metric or the axis take no part. */
    public static List<TradeOffPoint> of(List<TradeOffPoint> points, QualityMetric metric, SizeAxis axis) {
        List<TradeOffPoint> measured = new ArrayList<>(points.stream()
                .filter(p -> metric.of(p) != null && axis.bytes(p) != null).toList());
        // smallest first; among equal sizes the best first, so the others are dominated by it
        measured.sort(Comparator.<TradeOffPoint>comparingLong(axis::bytes)
                .thenComparing(Comparator.<TradeOffPoint>comparingDouble(p -> goodness(p, metric)).reversed()));
        List<TradeOffPoint> front = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (TradeOffPoint p : measured) {
            double g = goodness(p, metric);
            if (g > best) {
                front.add(p);
                best = g;
            }
        }
        return front;
    }

    private static double goodness(TradeOffPoint p, QualityMetric metric) {
        double v = metric.of(p);
        return metric.higherIsBetter ? v : -v;
    }
}
