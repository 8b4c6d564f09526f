package dev.rwkvedge.compress;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a matrix is factored: plain truncated SVD (the paper) or whitened by the calibration inputs (SVD-LLM). */
public enum LowRankMethod {
    SVD, WHITENED;

    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static LowRankMethod parse(String s) {
        for (LowRankMethod m : values()) if (m.toString().equals(s)) return m;
        throw new IllegalArgumentException("\"" + s + "\" is not a low-rank method (svd or whitened)");
    }
}
