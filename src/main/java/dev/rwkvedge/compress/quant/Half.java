package dev.rwkvedge.compress.quant;

/** float16 rounding in a chosen direction, so that a stored scale or minimum never shrinks the range it must cover. */
final class Half {
    private Half() {}

    /** The smallest float16 value >= v (v finite, within float16 range). */
    static short up(float v) {
        short h = Float.floatToFloat16(v);
        return Float.float16ToFloat(h) >= v ? h : step(h, true);
    }

    /** The largest float16 value <= v. */
    static short down(float v) {
        short h = Float.floatToFloat16(v);
        return Float.float16ToFloat(h) <= v ? h : step(h, false);
    }

    private static short step(short h, boolean up) {
        int bits = h & 0xffff;
        boolean negative = (bits & 0x8000) != 0;
        if ((bits & 0x7fff) == 0) return (short) (up ? 0x0001 : 0x8001);
        return (short) (negative == up ? bits - 1 : bits + 1);
    }

    static float value(short h) {
        return Float.float16ToFloat(h);
    }
}
