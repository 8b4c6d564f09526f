package dev.rwkvedge.analysis;

import java.util.Set;

/**
 * Which projection inputs get a {@link GramMatrix}. Each costs 8 w^2 bytes for input width w for the whole run:
 * 4.7 MB at w = 768, 75.5 MB at w = 3072 (ffn.value of a 0.1B model). {@link #DEFAULT} (every input up to 4096 wide)
 * therefore needs about 1.41 GB of heap for RWKV-7 0.1B: per layer nine 768-wide inputs (att.receptance, key, value,
 * output, the LoRA inputs att.w1/a1/v1/g1, ffn.key) = 42.5 MB, ffn.value 75.5 MB, the narrow LoRA second factors
 * 0.2 MB. The tiny reference models need about 9 MB. Select fewer on a small machine, e.g. {@code upToWidth(1024)}
 * (0.51 GB for 0.1B) or {@code only(Set.of("att.receptance", "att.key", "att.value", "att.gate"))}.
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
