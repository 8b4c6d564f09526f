package dev.rwkvedge.compress.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import dev.rwkvedge.compress.Compressor;
import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.runtime.RwkvState;
import dev.rwkvedge.task.ProgressListener;
import dev.rwkvedge.tokenizer.ByteTokenizer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A recipe built from cached artefacts is the model the direct path builds: the same logits (to 1e-5) and sizes,
 * whatever was built before it. The cache reuses the decompositions, the head's router and the predictors.
 */
class ArtefactCacheTest {
    static final String MODEL = "rwkv.cpp/tests/tiny-rwkv-7v0-834K-FP32.bin";
    static final int[] CALIBRATION = new ByteTokenizer().encode("""
            In the beginning the small model read a great deal of text, one byte at a time, and learned which letter
            tends to follow which. The compressed copy keeps fewer numbers: each projection becomes two thin matrices.
            """.repeat(3));
    static final int[] PROBE = {10, 84, 104, 101, 32, 115, 109, 97, 108, 108, 32, 109, 111, 100};

    private static float[][] logits(RwkvModel m) {
        RwkvState st = m.newState();
        float[][] out = new float[PROBE.length][];
        for (int i = 0; i < PROBE.length; i++) out[i] = m.forward(PROBE[i], st).clone();
        return out;
    }

    private static java.util.List<String> sizes(dev.rwkvedge.compress.SizeReport s) {
        return s.parts().stream().map(p -> p.component() + " " + p.parameters() + " " + p.residentBytes()).toList();
    }

    /** Builds the recipe through the cache and directly, and compares the two models. */
    private static void sameAsDirect(Path model, ArtefactCache cache, String json) throws Exception {
        Recipe r = Recipe.parse(json, "test");
        try (LoadedModel cached = LoadedModel.open(model); LoadedModel direct = LoadedModel.open(model)) {
            Compressor.Applied a = Compressor.apply(cached, r, CALIBRATION, cache, ProgressListener.NONE);
            Compressor.Applied b = Compressor.apply(direct, r, CALIBRATION, ProgressListener.NONE);
            // sizes, not cache counters: the head's hit rate depends on what the calibration pass happened to read
            assertEquals(sizes(b.size()), sizes(a.size()), json);
            assertEquals(b.ranks(), a.ranks(), json);
            float[][] x = logits(cached.model()), y = logits(direct.model());
            // the router trains on a parallel pool whose float sums may split differently between two runs
            for (int i = 0; i < PROBE.length; i++) assertArrayEquals(y[i], x[i], 1e-5f, json + " token " + i);
        }
    }

    @Test
    void aRankMoveReusesTheDecompositionsAndBuildsTheSameModel() throws Exception {
        Path model = Reference.file(MODEL);
        try (ArtefactCache cache = new ArtefactCache(model)) {
            sameAsDirect(model, cache, "{\"lowRank\": {\"method\": \"whitened\", \"rule\": {\"ratio\": 0.25}}, \"int8\": {}}");
            long computed = cache.counts()[1];
            sameAsDirect(model, cache, "{\"lowRank\": {\"method\": \"whitened\", \"rule\": {\"ratio\": 0.5}}, \"int8\": {}}");
            // 12 layers x 3 matrices: only the new cuts are computed; decompositions and the int8 matrices are reused
            assertEquals(computed + 36, cache.counts()[1]);
            assertTrue(cache.counts()[0] >= 36 + 1, "decompositions reused");
        }
    }

    @Test
    void coverageAndThresholdMovesNeedNoRetraining() throws Exception {
        Path model = Reference.file(MODEL);
        try (ArtefactCache cache = new ArtefactCache(model)) {
            sameAsDirect(model, cache, "{\"head\": {\"clusters\": 16, \"coverage\": 0.9, \"maxClusters\": 6}}");
            sameAsDirect(model, cache, "{\"sparseFfn\": {\"predictor\": \"mlp\", \"threshold\": 0.7, \"mlpWidth\": 4, \"samples\": 64}}");
            long computed = cache.counts()[1];
            sameAsDirect(model, cache, "{\"head\": {\"clusters\": 16, \"coverage\": 0.7, \"maxClusters\": 4}}");
            sameAsDirect(model, cache, "{\"sparseFfn\": {\"predictor\": \"mlp\", \"threshold\": 0.5, \"mlpWidth\": 4, \"samples\": 64}}");
            assertEquals(computed, cache.counts()[1], "the router and the predictors were reused");
        }
    }

    @Test
    void headSelectionsMeasuredAgainstReplayedDenseLogitsMatchTheBuilder() throws Exception {
        Path model = Reference.file(MODEL);
        try (ArtefactCache cache = new ArtefactCache(model)) {
            // the first selection records the dense logits, the second and third replay them
            for (double coverage : new double[] {0.7, 0.8, 0.6}) {
                Recipe r = Recipe.parse("{\"head\": {\"clusters\": 16, \"coverage\": " + coverage
                        + ", \"maxClusters\": 5}}", "test");
                try (LoadedModel cached = LoadedModel.open(model); LoadedModel direct = LoadedModel.open(model)) {
                    var a = Compressor.apply(cached, r, CALIBRATION, cache, ProgressListener.NONE).head();
                    var b = Compressor.apply(direct, r, CALIBRATION, ProgressListener.NONE).head();
                    assertEquals(b.positions(), a.positions());
                    assertEquals(b.meanRowsPerToken(), a.meanRowsPerToken(), 1e-9, "coverage " + coverage);
                    assertEquals(b.top1Agreement(), a.top1Agreement(), 0.02, "coverage " + coverage);
                    assertEquals(b.meanKl(), a.meanKl(), 1e-3 + 0.02 * b.meanKl(), "coverage " + coverage);
                }
            }
        }
    }
}
