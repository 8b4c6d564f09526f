package dev.rwkvedge.analysis;

/** A projection of one layer, by BlinkDL short name ("att.key", "ffn.value"). */
public record ProjectionKey(int layer, String name) implements Comparable<ProjectionKey> {
    @Override
    public int compareTo(ProjectionKey o) {
        return layer != o.layer ? Integer.compare(layer, o.layer) : name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return Spectrum.key(layer, name);
    }
}
