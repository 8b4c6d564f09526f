package dev.rwkvedge.studio.views.compress;

/** What the trade-off chart's y axis shows. */
public enum QualityMetric {
    TOP1("Top-1 agreement with dense", true),
    MEAN_KL("Mean KL to dense (nats)", false),
    TASK("Last-word accuracy", true);

    public final String label;
    public final boolean higherIsBetter;

    QualityMetric(String label, boolean higherIsBetter) {
        this.label = label;
        this.higherIsBetter = higherIsBetter;
    }

    /** The point's value, or null when it was not measured (task scores come later). */
    public Double of(TradeOffPoint p) {
        return switch (this) {
            case TOP1 -> p.top1Agreement();
            case MEAN_KL -> p.meanKl();
            case TASK -> p.taskScore();
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
