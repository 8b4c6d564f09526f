package dev.rwkvedge.studio.views.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.model.SampleModel;
import dev.rwkvedge.studio.session.OpenModel;
import dev.rwkvedge.task.ProgressListener;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The quick proxy of a recipe that changes only the head or a cache size runs the head on the inputs recorded for an
 * earlier recipe with the same body: its numbers must be those of a full forward pass, exactly.
 */
class HeadOnlyProxyTest {
    private static final String BODY = """
            "lowRank": {"method": "svd", "rule": {"ratio": 0.25}}, "int8": {},""";

    @Test
    void replayedHeadInputsGiveTheFullPassesNumbersBitForBit() throws Exception {
        Path file = SampleModel.dataFolder().getParent().resolve("rwkv7-kjv-5m.pth");
        Recipe first = Recipe.parse("{" + BODY + """
                "head": {"clusters": 64, "coverage": 0.9, "maxClusters": 8, "space": "head", "cacheRows": 512},
                "embedding": {"cacheRows": 128}}""", "first");
        Recipe headOnly = Recipe.parse("{" + BODY + """
                "head": {"clusters": 64, "coverage": 0.8, "maxClusters": 4, "space": "head", "cacheRows": 64},
                "embedding": {"cacheRows": 32}}""", "head only");
        assertEquals(CompressionBench.bodyKey(first), CompressionBench.bodyKey(headOnly));

        try (OpenModel dense = OpenModel.load(file, ProgressListener.NONE);
             CompressionBench bench = new CompressionBench(dense, CompressData.sample())) {
            CompressionBench.Proxy recorded, replayed, full;
            CompressionBench.Build a = bench.build(first, ProgressListener.NONE);
            try {
                recorded = bench.proxy(a.model(), ProgressListener.NONE);
                assertEquals(recorded, bench.fullProxy(a.model(), ProgressListener.NONE));
            } finally {
                a.model().close();
            }
            CompressionBench.Build b = bench.build(headOnly, ProgressListener.NONE);
            try {
                long reusedBefore = bench.artefactCounts()[0];
                replayed = bench.proxy(b.model(), ProgressListener.NONE);
                // the replay was taken (one more artefact reused: the head inputs), not a second full pass
                assertEquals(reusedBefore + 1, bench.artefactCounts()[0]);
                full = bench.fullProxy(b.model(), ProgressListener.NONE);
            } finally {
                b.model().close();
            }
            assertEquals(full.top1Agreement(), replayed.top1Agreement(), 0.0);
            assertEquals(full.meanKl(), replayed.meanKl(), 0.0);
            // the head change moves the numbers: the replay did run the second recipe's head, not the first's
            assertNotEquals(recorded.meanKl(), replayed.meanKl());
        }
    }

    @Test
    void theBodyKeyKeepsEverythingTheHeadInputsDependOn() throws Exception {
        Recipe base = Recipe.parse("{" + BODY + "\"embedding\": {\"cacheRows\": 128}}", "base");
        String key = CompressionBench.bodyKey(base);
        for (String other : new String[] {
                "{\"lowRank\": {\"method\": \"svd\", \"rule\": {\"ratio\": 0.3}}, \"int8\": {}, \"embedding\": {\"cacheRows\": 128}}",
                "{\"lowRank\": {\"method\": \"svd\", \"rule\": {\"ratio\": 0.25}}, \"embedding\": {\"cacheRows\": 128}}",
                "{" + BODY + "\"embedding\": {\"cacheRows\": 128, \"precision\": \"f32\"}}",
                "{" + BODY + "\"embedding\": {\"cacheRows\": 128}, \"sparseFfn\": {\"predictor\": \"1bit\"}}",
                "{" + BODY + "\"embedding\": {\"cacheRows\": 128}, \"precision\": {\"default\": \"q4_1\"}}",
                "{" + BODY + "\"embedding\": {\"cacheRows\": 128}, \"calibration\": {\"tokens\": 1000}}",
                "{" + BODY + "\"head\": {\"clusters\": 64}}"}) {
            assertNotEquals(key, CompressionBench.bodyKey(Recipe.parse(other, "other")), other);
        }
        assertEquals(key, CompressionBench.bodyKey(Recipe.parse("{" + BODY
                + "\"embedding\": {\"cacheRows\": 7}, \"head\": {\"clusters\": 30, \"tailRank\": 4}}", "same body")));
    }
}
