package dev.rwkvedge.studio.views.compress;

/** Which size the trade-off chart's x axis shows. */
public enum SizeAxis {
    RESIDENT("resident while generating (MB)"),
    FILE("exported file (MB)");

    public final String label;

    SizeAxis(String label) {
        this.label = label;
    }

    /** The point's size on this axis in bytes, or null when not measured yet (the file is written after the proxy). */
    public Long bytes(TradeOffPoint p) {
        return this == RESIDENT ? p.size().residentBytes() : p.fileBytes();
    }

    @Override
    public String toString() {
        return this == RESIDENT ? "resident size" : "file size";
    }
}
