package dev.rwkvedge.analysis;

import dev.rwkvedge.runtime.ForwardObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The forward observer that accumulates {@link ActivationStats} as tokens stream through: counts and Gram sums only,
 * so memory is fixed by the model and the {@link GramSelection}, never by the number of tokens. Use it on one
 * thread (the runtime calls observers from the thread that runs the forward pass).
 */
public final class ActivationCollector implements ForwardObserver {
    private final GramSelection selection;
    private final Map<Integer, Layer> layers = new HashMap<>();
    private final Map<ProjectionKey, GramMatrix> grams = new HashMap<>();

    private static final class Layer {
        final int width;
        long tokens, zeros;
        final long[] firing;

        Layer(int width) {
            this.width = width;
            this.firing = new long[width];
        }
    }

    public ActivationCollector(GramSelection selection) {
        this.selection = selection;
    }

    @Override
    public void projectionInput(int layer, String name, float[] x, int T, int width) {
        if (!selection.collect(layer, name, width)) return;
        GramMatrix g = grams.computeIfAbsent(new ProjectionKey(layer, name), k -> new GramMatrix(width));
        if (g.dim() != width) throw new IllegalStateException(name + " of layer " + layer + " changed width");
        g.add(x, T);
    }

    @Override
    public void channelMixActivation(int layer, float[] h, int T, int width) {
        Layer l = layers.computeIfAbsent(layer, k -> new Layer(width));
        long zeros = 0;
        for (int t = 0; t < T; t++) {
            for (int j = 0, i = t * width; j < width; j++, i++) {
                // h = relu(.)^2 is never negative: a value is either an exact zero or a firing neuron
                if (h[i] > 0) l.firing[j]++;
                else zeros++;
            }
        }
        l.zeros += zeros;
        l.tokens += T;
    }

    /** What was collected so far (the Gram matrices are shared, not copied). */
    public ActivationStats stats(long tokens) {
        List<LayerActivity> out = new ArrayList<>();
        layers.keySet().stream().sorted().forEach(k -> {
            Layer l = layers.get(k);
            out.add(new LayerActivity(k, l.width, l.tokens, l.zeros, l.firing.clone()));
        });
        return new ActivationStats(tokens, out, grams);
    }
}
