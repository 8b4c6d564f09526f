package dev.rwkvedge.compress;

import dev.rwkvedge.runtime.ForwardObserver;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Sums x x^T of the inputs of chosen projections over calibration text (what whitened SVD needs). */
final class GramCollector implements ForwardObserver {
    private final Set<String> wanted;
    private final Map<String, double[]> grams = new HashMap<>();

    /** @param wanted full names such as "blocks.3.att.key" */
    GramCollector(Set<String> wanted) {
        this.wanted = wanted;
    }

    @Override
    public void projectionInput(int layer, String name, float[] x, int T, int width) {
        String key = "blocks." + layer + "." + name;
        if (!wanted.contains(key)) return;
        double[] g = grams.computeIfAbsent(key, k -> new double[width * width]);
        for (int t = 0; t < T; t++) {
            int o = t * width;
            for (int i = 0; i < width; i++) {
                double xi = x[o + i];
                if (xi == 0) continue;
                int row = i * width;
                for (int j = 0; j <= i; j++) g[row + j] += xi * x[o + j];
            }
        }
    }

    /** The symmetric Gram matrix of one projection's inputs, or null when it never ran. */
    double[] gram(String key) {
        double[] g = grams.get(key);
        if (g == null) return null;
        int n = (int) Math.round(Math.sqrt(g.length));
        double[] full = g.clone();
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) full[i * n + j] = full[j * n + i];
        return full;
    }
}
