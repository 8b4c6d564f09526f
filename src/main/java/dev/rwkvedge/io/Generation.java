package dev.rwkvedge.io;

import java.util.Collection;

/** RWKV model generation, as far as the tensor layout differs; rwkv.cpp's naming ("5v1" = ln_x without gate). */
public enum Generation {
    V4("4"), V5_1("5.1"), V5_2("5.2"), V6("6"), V7("7");

    /** BlinkDL's version number ("5.1" is rwkv.cpp's "5v1"). */
    public final String label;

    Generation(String label) {
        this.label = label;
    }

    public boolean hasGroupNorm() {
        return this != V4;
    }

    /** Accepts "7", "v7", "x070", "5.2", "5v2", "RWKV-6", ...; a clear error for anything else. */
    public static Generation parse(String s) {
        String v = s.trim().toLowerCase().replaceFirst("^(rwkv-?|v)", "");
        for (Generation g : values()) {
            if (g.label.equals(v) || g.name().equalsIgnoreCase(s.trim())) return g;
        }
        return switch (v) {
            case "5", "52", "5v2", "x052" -> V5_2;
            case "51", "5v1", "5.0" -> V5_1;
            case "60", "6v0", "x060" -> V6;
            case "70", "7v0", "x070" -> V7;
            case "40", "4v0" -> V4;
            default -> throw new IllegalArgumentException("unknown RWKV generation '" + s + "' (known: 4, 5.1, 5.2, 6, 7)");
        };
    }

    @Override
    public String toString() {
        return "v" + label;
    }

    /** rwkv.cpp's rule, which looks only at layer 0's tensor names. */
    public static Generation detect(Collection<String> names) {
        if (names.contains("blocks.0.att.r_k")) return V7;
        if (names.contains("blocks.0.att.time_maa_x")) return V6;
        if (names.contains("blocks.0.att.ln_x.weight")) {
            return names.contains("blocks.0.att.gate.weight") ? V5_2 : V5_1;
        }
        return V4;
    }

    public boolean isV5() {
        return this == V5_1 || this == V5_2;
    }
}
