package dev.rwkvedge.compress.quant;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.rwkvedge.tensor.DType;
import java.util.Arrays;
import java.util.Locale;

/**
 * How a block matrix is stored: float32 as it came, float16, int8 with one scale per row, or ggml's 4-bit blocks of
 * 32 (Q4_0: an f16 scale, 4.5 bits per weight; Q4_1: an f16 scale and minimum, 5 bits per weight).
 */
public enum Precision {
    FP32(DType.F32), FP16(DType.F16), INT8(DType.I8), Q4_0(DType.Q4_0), Q4_1(DType.Q4_1);

    public final DType dtype;

    Precision(DType dtype) {
        this.dtype = dtype;
    }

    /** The recipe's spelling: fp32, fp16, int8, q4_0, q4_1. */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Precision parse(String s) {
        for (Precision p : values()) if (p.label().equals(s)) return p;
        throw new IllegalArgumentException("\"" + s + "\" is not a precision (one of "
                + Arrays.stream(values()).map(Precision::label).toList() + ")");
    }

    /** Whether this needs rows that are a whole number of 32-wide groups. */
    public boolean grouped() {
        return dtype.isBlockQuantized();
    }

    /** Stored bytes of an (out x in) matrix in this precision (int8: values plus one float scale per row). */
    public long bytes(int out, int in) {
        return this == INT8 ? (long) out * in + 4L * out : dtype.byteSize((long) out * in);
    }
}
