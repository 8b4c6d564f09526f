package dev.rwkvedge.compress.size;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import dev.rwkvedge.compress.Compressor;
import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.SizeReport;
import dev.rwkvedge.compress.cache.ArtefactCache;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.task.ProgressListener;
import dev.rwkvedge.tokenizer.ByteTokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The size computed from the recipe and the dense model's shapes equals, part by part and to the byte, the size the
 * built model reports of its own objects (an independent computation: it adds up what the built projections, caches
 * and predictors hold), across every technique and rank rule.
 */
class AnalyticSizeTest {
    static final String MODEL = "rwkv.cpp/tests/tiny-rwkv-7v0-834K-FP32.bin";
    static final int[] CALIBRATION = new ByteTokenizer().encode("""
            In the beginning the small model read a great deal of text, one byte at a time, and learned which letter
            tends to follow which. The compressed copy keeps fewer numbers: each projection becomes two thin matrices.
            """.repeat(3));

    /** Recipes whose size needs no expensive step: known before anything is built. */
    static final List<String> AT_ONCE = List.of(
            "{\"lowRank\": {\"rule\": {\"ratio\": 0.25}}}",
            "{\"lowRank\": {\"rule\": {\"fixed\": 8}, \"overrides\": {\"blocks.2.att.key\": 3}}}",
            "{\"lowRank\": {\"method\": \"whitened\", \"rule\": {\"ratio\": 0.4}}, \"int8\": {}}",
            "{\"lowRank\": {\"rule\": {\"ratio\": 0.5}, \"matrices\": [\"att.key\", \"ffn.key\", \"ffn.value\"]},"
                    + " \"precision\": {\"default\": \"q4_0\", \"overrides\": {\"att.value\": \"fp16\"}, \"errorFeedback\": false}}",
            "{\"int8\": {}, \"embedding\": {\"cacheRows\": 100}}",
            "{\"embedding\": {\"cacheRows\": 40, \"precision\": \"f32\"}}",
            "{\"precision\": {\"default\": \"q4_1\"}}");

    /** Recipes that need a decomposition's spectrum, the head's clusters or the predictors: known once those are. */
    static final List<String> ONCE_KNOWN = List.of(
            "{\"lowRank\": {\"rule\": {\"energy\": 0.9}}}",
            "{\"lowRank\": {\"method\": \"whitened\", \"rule\": {\"budget\": 0.3}}, \"int8\": {}}",
            "{\"head\": {\"clusters\": 16, \"coverage\": 0.9, \"maxClusters\": 6}}",
            "{\"head\": {\"clusters\": 16, \"maxClusters\": 4, \"tailRank\": 8}}",
            "{\"head\": {\"clusters\": 12, \"cacheRows\": 50, \"precision\": \"f32\"}, \"int8\": {}}",
            "{\"sparseFfn\": {\"predictor\": \"mlp\", \"threshold\": 0.7, \"mlpWidth\": 4, \"samples\": 64}, \"int8\": {}}",
            "{\"lowRank\": {\"method\": \"whitened\", \"rule\": {\"ratio\": 0.25}},"
                    + " \"sparseFfn\": {\"predictor\": \"both\", \"threshold\": 0.6, \"mlpWidth\": 4, \"oneBitSparsity\": 0.8,"
                    + " \"samples\": 64, \"cacheNeurons\": 40},"
                    + " \"head\": {\"clusters\": 16, \"maxClusters\": 4}, \"embedding\": {\"cacheRows\": 30}, \"int8\": {}}");

    private static List<String> parts(SizeReport s) {
        return s.parts().stream().map(p -> p.component() + " " + p.parameters() + " params " + p.residentBytes()
                + " bytes").toList();
    }

    @Test
    void equalsTheBuiltModelsOwnReportForEveryTechnique() throws Exception {
        Path model = Reference.file(MODEL);
        try (ArtefactCache cache = new ArtefactCache(model); LoadedModel dense = LoadedModel.open(model)) {
            AnalyticSize analytic = new AnalyticSize(ModelShapes.of(dense));
            for (String json : AT_ONCE) {
                Recipe r = Recipe.parse(json, "test");
                SizeReport before = analytic.compute(r, CALIBRATION, cache);
                SizeReport built = build(model, r, cache);
                assertEquals(parts(built), parts(before), json);
                assertEquals(built.denseParameters(), before.denseParameters(), json);
            }
        }
        // a fresh cache: none of these recipes' artefacts has been made yet
        try (ArtefactCache cache = new ArtefactCache(model); LoadedModel dense = LoadedModel.open(model)) {
            AnalyticSize analytic = new AnalyticSize(ModelShapes.of(dense));
            for (String json : ONCE_KNOWN) {
                Recipe r = Recipe.parse(json, "test");
                assertTrue(analytic.of(r, CALIBRATION, cache).isEmpty(), "unknown before its artefacts: " + json);
                SizeReport built = build(model, r, cache);
                SizeReport after = analytic.compute(r, CALIBRATION, cache);
                assertEquals(parts(built), parts(after), json);
                assertEquals(built.residentBytes(), after.residentBytes(), json);
            }
        }
    }

    @Test
    void aRecipeThatCannotBeAppliedHasNoSize() throws Exception {
        Path model = Reference.file(MODEL);
        try (ArtefactCache cache = new ArtefactCache(model); LoadedModel dense = LoadedModel.open(model)) {
            AnalyticSize analytic = new AnalyticSize(ModelShapes.of(dense));
            // rank 10000 is past every matrix of the tiny model: the build refuses it, so there is no size to show
            assertTrue(analytic.of(Recipe.parse("{\"lowRank\": {\"rule\": {\"fixed\": 10000}}}", "t"), null, cache).isEmpty());
        }
    }

    private static SizeReport build(Path model, Recipe r, ArtefactCache cache) throws Exception {
        try (LoadedModel fresh = LoadedModel.open(model)) {
            return Compressor.apply(fresh, r, CALIBRATION, cache, ProgressListener.NONE).size();
        }
    }
}
