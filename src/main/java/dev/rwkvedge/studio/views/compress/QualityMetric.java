package dev.rwkvedge.studio.views.compress;

/** What the trade-off chart's y axis shows; accuracies in percent, as on the cards. */
public enum QualityMetric {
    TOP1("Top-1 agreement with dense (%)", true),
    MEAN_KL("Mean KL to dense (nats)", false),
    TASK("Last-word accuracy (%)", true);

    public final String label;
    public final boolean higherIsBetter;

    QualityMetric(String label, boolean higherIsBetter) {
        this.label = label;
        this.higherIsBetter = higherIsBetter;
    }

    /** The point's value as drawn, or null when it was not measured (the proxy and the task score come later). */
    public Double of(TradeOffPoint p) {
        return switch (this) {
            case TOP1 -> p.top1Agreement() == null ? null : 100 * p.top1Agreement();
            case MEAN_KL -> p.meanKl();
            case TASK -> p.taskScore() == null ? null : 100 * p.taskScore().accuracy();
        };
    }

    /** The 95 % interval as drawn ({low, high}), or null for metrics measured without one. */
    public double[] interval(TradeOffPoint p) {
        if (this != TASK || p.taskScore() == null) return null;
        return new double[] {100 * p.taskScore().low(), 100 * p.taskScore().high()};
    }

    @Override
    public String toString() {
        return label;
    }
}
