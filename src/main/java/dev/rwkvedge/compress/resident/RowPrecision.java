package dev.rwkvedge.compress.resident;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How rows read on demand (head rows, embedding rows, neuron bundles) are stored: float32, or int8 with a scale. */
public enum RowPrecision {
    F32, INT8;

    @JsonCreator
    public static RowPrecision parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "f32", "float32", "fp32" -> F32;
            case "int8", "i8" -> INT8;
            default -> throw new IllegalArgumentException("precision must be \"int8\" or \"f32\", not \"" + s + "\"");
        };
    }

    @JsonValue
    public String label() {
        return this == F32 ? "f32" : "int8";
    }
}
