package dev.rwkvedge.compress.sparse;

/** Selection without sorting: the 1-bit predictor needs the k-th largest of F scores per token. */
final class TopK {
    private TopK() {}

    /** The k-th largest value (1-based) of {@code a}; reorders {@code a}. */
    static float kthLargest(float[] a, int k) {
        int target = a.length - k, lo = 0, hi = a.length - 1;
        while (lo < hi) {
            float pivot = median(a[lo], a[(lo + hi) >>> 1], a[hi]);
            int i = lo, j = hi;
            while (i <= j) {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j) {
                    float s = a[i];
                    a[i++] = a[j];
                    a[j--] = s;
                }
            }
            if (target <= j) hi = j;
            else if (target >= i) lo = i;
            else return a[target];
        }
        return a[target];
    }

    private static float median(float a, float b, float c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
