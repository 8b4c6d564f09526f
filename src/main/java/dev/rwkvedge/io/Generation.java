package dev.rwkvedge.io;

import java.util.Collection;

/** RWKV model generation, as far as the tensor layout differs; rwkv.cpp's naming ("5v1" = ln_x without gate). */
public enum Generation {
    V4, V5_1, V5_2, V6, V7;

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
