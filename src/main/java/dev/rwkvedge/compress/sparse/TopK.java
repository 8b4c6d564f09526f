package dev.rwkvedge.compress.sparse;

/**
 * Selection without sorting: the 1-bit predictor needs the k-th largest of F scores per token. A radix select over
 * the floats' bits, a byte per pass from the top: each pass counts the candidates per byte value, keeps the bucket
 * that holds the k-th largest and narrows k, so four passes at most, each linear and nearly free of branches (a
 * quickselect's comparisons against a pivot mispredicted about half the time and took 4 % of edge.json's token).
 */
final class TopK {
    private TopK() {}

    /**
     * The k-th largest value (1-based) of {@code a}, in {@link Float#compare}'s order (-0.0 below 0.0, NaN above
     * everything): what sorting would put at index length - k. {@code a} is left as it is.
     */
    static float kthLargest(float[] a, int k) {
        return kthLargest(a, a.length, k, new int[a.length], new int[256]);
    }

    /** The same over a[0 .. n), with the caller's scratch: n keys and 256 counts. */
    static float kthLargest(float[] a, int n, int k, int[] keys, int[] count) {
        if (k < 1 || k > n) throw new IllegalArgumentException("k = " + k + " of " + n);
        for (int i = 0; i < n; i++) keys[i] = key(a[i]);
        for (int shift = 24; shift >= 0 && n > 1; shift -= 8) {
            java.util.Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) count[(keys[i] >>> shift) & 255]++;
            int bucket = 255;
            while (count[bucket] < k) k -= count[bucket--];
            int kept = 0;
            for (int i = 0; i < n; i++) {
                int v = keys[i];
                keys[kept] = v;
                kept += ((v >>> shift) & 255) == bucket ? 1 : 0;
            }
            n = kept;
        }
        return value(keys[0]);
    }

    /** The float's bits as an int whose unsigned order is {@link Float#compare}'s (sign flipped, negatives inverted). */
    private static int key(float f) {
        int b = Float.floatToRawIntBits(f);
        return b ^ ((b >> 31) | 0x80000000);
    }

    private static float value(int key) {
        return Float.intBitsToFloat(key ^ ((~key >> 31) | 0x80000000));
    }
}
