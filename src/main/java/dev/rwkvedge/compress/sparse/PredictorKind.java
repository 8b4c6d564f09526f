package dev.rwkvedge.compress.sparse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Which predictor guards each sparse channel mix; the labels are the recipe's spelling. */
public enum PredictorKind {
    MLP("mlp"), ONE_BIT("1bit"), BOTH("both");

    public final String label;

    PredictorKind(String label) {
        this.label = label;
    }

    public boolean usesMlp() {
        return this != ONE_BIT;
    }

    public boolean usesOneBit() {
        return this != MLP;
    }

    @JsonCreator
    public static PredictorKind parse(String s) {
        for (PredictorKind k : values()) if (k.label.equalsIgnoreCase(s.trim()) || k.name().equalsIgnoreCase(s.trim())) return k;
        throw new IllegalArgumentException("unknown predictor kind '" + s + "' (known: mlp, 1bit, both)");
    }

    @JsonValue
    @Override
    public String toString() {
        return label;
    }
}
