package dev.rwkvedge.compress.sparse;

import dev.rwkvedge.Reference;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.runtime.DenseChannelMix;
import dev.rwkvedge.runtime.DenseProjection;
import dev.rwkvedge.task.ProgressListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The tiny byte-level reference models and texts for them (token = byte). */
final class TinyModels {
    /** v5.2 has the receptance gate, v7 has none: between them both channel-mix forms are covered. */
    static final String V5_2 = "5v2-730K", V7 = "7v0-834K";

    /** Text for evaluation, apart from the calibration text. */
    static final String PARAGRAPH = """
            The small model reads one byte at a time. Each layer mixes the current token with the previous one, \
            then a feed-forward network squares the positive part of its key projection. Most of those squares \
            are zero, which is why a predictor can skip them: if we knew in advance which neurons stay silent, we \
            would not need to read their weights at all. """;

    private static final Map<String, List<LayerSamples>> SAMPLES = new HashMap<>();

    private TinyModels() {}

    /** 300 calibration samples per layer of a model, sampled once per test run and shared by the predictor tests. */
    static synchronized List<LayerSamples> samples(String model) throws IOException {
        List<LayerSamples> s = SAMPLES.get(model);
        if (s == null) {
            try (LoadedModel m = open(model)) {
                s = new ActivationSampler(300, 3).sample(m.model(), calibration(300), ProgressListener.NONE);
            }
            SAMPLES.put(model, s);
        }
        return s;
    }

    static LoadedModel open(String model) throws IOException {
        return LoadedModel.open(Reference.file("rwkv.cpp/tests/tiny-rwkv-" + model + "-FP32.bin"));
    }

    static int[] bytes(String s) {
        return tokens(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The first {@code n} bytes of the reference README, read in place, as calibration tokens. */
    static int[] calibration(int n) throws IOException {
        byte[] all = Files.readAllBytes(Reference.file("README.md"));
        return tokens(Arrays.copyOf(all, Math.min(n, all.length)));
    }

    private static int[] tokens(byte[] b) {
        int[] t = new int[b.length];
        for (int i = 0; i < b.length; i++) t[i] = b[i] & 0xff;
        return t;
    }

    static float[] keyWeights(LoadedModel m, int layer) {
        DenseChannelMix d = (DenseChannelMix) m.model().blocks().get(layer).channelMix();
        return ((DenseProjection) d.projections().get("ffn.key")).toArray();
    }

    static float[] logits(LoadedModel m, int[] tokens) {
        return m.model().forwardSequence(tokens, m.model().newState(), true);
    }

    static float maxDiff(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("lengths differ");
        return Reference.maxAbsDiff(a, 0, b, 0, a.length);
    }

    static float maxAbs(float[] a) {
        float m = 0;
        for (float v : a) m = Math.max(m, Math.abs(v));
        return m;
    }
}
