package dev.rwkvedge.io;

import dev.rwkvedge.tensor.DType;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/** One format's numeric codes for our dtypes; the formats number the same ggml types differently (README §8.3). */
final class DTypeCodes {
    private final String what;
    private final Map<Long, DType> byCode = new HashMap<>();
    private final Map<DType, Integer> byType = new EnumMap<>(DType.class);

    /** {@code pairs}: code, dtype, code, dtype, ... */
    DTypeCodes(String what, Object... pairs) {
        this.what = what;
        for (int i = 0; i < pairs.length; i += 2) {
            int code = (Integer) pairs[i];
            DType t = (DType) pairs[i + 1];
            byCode.put((long) code, t);
            byType.put(t, code);
        }
    }

    /** The dtype of a code read from a file, or null when the code is unknown. */
    DType dtype(long code) {
        return byCode.get(code);
    }

    int code(DType t) {
        Integer c = byType.get(t);
        if (c == null) throw new IllegalArgumentException(what + " has no code for " + t);
        return c;
    }
}
