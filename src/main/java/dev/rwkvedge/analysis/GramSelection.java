package dev.rwkvedge.analysis;

import java.util.Set;

/**
 * Which projection inputs get a {@link GramMatrix}. Each costs 8 w^2 bytes for input width w for the whole run:
 * 4.7 MB at w = 768, 75 MB at w = 3072 (ffn.value of a 0.1B model). {@link #DEFAULT} (every input up to 4096 wide)
 * therefore needs about 1.2 GB for RWKV-7 0.1B (12 layers x (5 inputs of 768 + ffn.value's 3072)) and 21 MB for the
 * tiny reference models; select fewer on a small machine.
 */
@FunctionalInterface
public interface GramSelection {
    boolean collect(int layer, String projection, int width);

    GramSelection NONE = (layer, projection, width) -> false;
    GramSelection DEFAULT = upToWidth(4096);

    static GramSelection upToWidth(int maxWidth) {
        return (layer, projection, width) -> width <= maxWidth;
    }

    /** Only these projections ("att.key", "ffn.value", ...), at any width, in every layer. */
    static GramSelection only(Set<String> projections) {
        Set<String> names = Set.copyOf(projections);
        return (layer, projection, width) -> names.contains(projection);
    }
}
