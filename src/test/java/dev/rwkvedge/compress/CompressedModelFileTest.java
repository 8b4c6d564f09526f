package dev.rwkvedge.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.model.ModelSummary;
import dev.rwkvedge.runtime.Int8Projection;
import dev.rwkvedge.runtime.LowRankProjection;
import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.task.ProgressListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CompressedModelFileTest {
    static final String TEXT = "In the beginning the model was dense, and every matrix was full. Then came the "
            + "recipe, and the matrices were factored, and the factors were quantized, and it was small.";

    static int[] bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int[] t = new int[b.length];
        for (int i = 0; i < b.length; i++) t[i] = b[i] & 0xff;
        return t;
    }

    @ParameterizedTest
    @ValueSource(strings = {"7v0-834K", "5v2-730K"})
    void exportedModelReloadsWithBitIdenticalLogits(String model, @TempDir Path dir) throws Exception {
        Path src = Reference.file("rwkv.cpp/tests/tiny-rwkv-" + model + "-FP32.bin");
        Recipe recipe = Recipe.parse("""
                {"lowRank": {"method": "whitened", "rule": {"ratio": 0.25}}, "int8": {"enabled": true}}""", "test");
        int[] probe = bytes("The end of the beginning.");
        try (LoadedModel dense = LoadedModel.open(src); LoadedModel m = LoadedModel.open(src)) {
            long checkpointParams = ModelSummary.of(dense.checkpoint(), dense.config()).parameters();
            if (model.startsWith("7")) {
                assertEquals(checkpointParams, SizeReport.of(dense.model(), 0).parameters(),
                        "the size report counts every parameter of the file");
            }
            Compressor.Applied applied = Compressor.apply(m, recipe, bytes(TEXT), ProgressListener.NONE);
            assertTrue(m.model().blocks().get(1).timeMix().projections().get("att.key") instanceof LowRankProjection);
            assertTrue(m.model().blocks().get(1).timeMix().projections().get("att.output") instanceof Int8Projection);
            assertEquals(16, applied.ranks().get("blocks.0.att.key"));
            assertTrue(applied.size().ratioVsFp32() > 2, "int8 plus rank C/4 is far smaller than fp32");
            float[] expected = m.model().forwardSequence(probe, m.model().newState(), true);
            float[] denseLogits = dense.model().forwardSequence(probe, dense.model().newState(), true);
            Path out = dir.resolve("small.safetensors");
            CompressedModelFile.write(out, m, recipe, applied);
            try (LoadedModel back = LoadedModel.open(out)) {
                assertArrayEquals(expected, back.model().forwardSequence(probe, back.model().newState(), true));
                assertEquals(applied.size().residentBytes(), SizeReport.of(back.model(), checkpointParams).residentBytes());
                assertTrue(back.checkpoint().metadata().get("rwkv_edge.recipe").contains("whitened"));
            }
            // compression changes the numbers, but not beyond recognition at these ranks
            double maxDiff = 0;
            for (int i = 0; i < expected.length; i++) maxDiff = Math.max(maxDiff, Math.abs(expected[i] - denseLogits[i]));
            assertTrue(maxDiff > 0, "a compressed model is not the dense one");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"lowRank\": {\"rule\": {\"ratio\": 0.1}, \"colour\": 3}}",
            "{\"lowRank\": {\"rule\": {\"fixed\": 100}}}", "{\"generation\": \"5.2\"}", "{\"lowRank\": [1,2]}",
            "{\"lowRank\": {\"matrices\": [\"att.gate\"], \"rule\": {\"fixed\": 4}}}"})
    void badRecipesGiveClearErrors(String json) throws Exception {
        Path src = Reference.file("rwkv.cpp/tests/tiny-rwkv-7v0-834K-FP32.bin");
        try (LoadedModel m = LoadedModel.open(src)) {
            Recipe.RecipeException e = assertThrows(Recipe.RecipeException.class,
                    () -> Compressor.apply(m, Recipe.parse(json, "r.json"), bytes(TEXT), ProgressListener.NONE));
            assertTrue(e.getMessage().length() > 10, e.getMessage());
            assertTrue(!e.getMessage().contains("Exception"), e.getMessage());
        }
    }

    @org.junit.jupiter.api.Test
    void failedExportLeavesNoFileAndKeepsTheOldOne(@TempDir Path dir) throws Exception {
        Path src = Reference.file("rwkv.cpp/tests/tiny-rwkv-7v0-834K-FP32.bin");
        Path out = dir.resolve("keep.safetensors");
        Files.writeString(out, "precious");
        try (LoadedModel m = LoadedModel.open(src)) {
            Recipe recipe = Recipe.parse("{\"int8\": {\"enabled\": true}}", "t");
            Compressor.Applied applied = Compressor.apply(m, recipe, null, ProgressListener.NONE);
            Path missingDir = dir.resolve("no/such/dir/x.safetensors");
            assertThrows(java.io.IOException.class, () -> CompressedModelFile.write(missingDir, m, recipe, applied));
            assertEquals("precious", Files.readString(out));
            try (var s = Files.list(dir)) {
                assertEquals(1, s.count(), "no temporary file left behind");
            }
        }
    }

    @org.junit.jupiter.api.Test
    void everyTechniqueTogetherReloadsBitIdentically(@TempDir Path dir) throws Exception {
        Path src = Reference.file("rwkv.cpp/tests/tiny-rwkv-7v0-834K-FP32.bin");
        Recipe recipe = Recipe.parse("""
                {"lowRank": {"method": "svd", "rule": {"energy": 0.9}}, "int8": {"enabled": true},
                 "sparseFfn": {"predictor": "both", "threshold": 0.5, "oneBitSparsity": 0.8, "samples": 200,
                               "cacheNeurons": 40},
                 "head": {"clusters": 16, "coverage": 0.9, "minClusters": 2, "maxClusters": 8, "space": "head",
                          "cacheRows": 100, "tailRank": 4},
                 "embedding": {"cacheRows": 32}}""", "test");
        int[] probe = bytes("A compressed model in one file.");
        try (LoadedModel m = LoadedModel.open(src)) {
            Compressor.Applied applied = Compressor.apply(m, recipe, bytes(TEXT + TEXT + TEXT), ProgressListener.NONE);
            assertTrue(applied.head().top1Agreement() > 0.5, "clustered head agrees with the dense one mostly");
            float[] expected = m.model().forwardSequence(probe, m.model().newState(), true);
            Path out = dir.resolve("all.safetensors");
            ModelSummary stored = CompressedModelFile.write(out, m, recipe, applied);
            assertComponentsSumToTheFile(out, stored, applied.size().withFile(stored));
            try (LoadedModel back = LoadedModel.open(out)) {
                assertTrue(back.model().head() instanceof dev.rwkvedge.compress.head.ClusteredHead h && h.tail().rank() == 4);
                assertTrue(back.model().embedding() instanceof dev.rwkvedge.compress.embedding.CachedEmbedding);
                assertTrue(back.model().blocks().get(3).channelMix() instanceof dev.rwkvedge.compress.sparse.SparseChannelMix);
                assertArrayEquals(expected, back.model().forwardSequence(probe, back.model().newState(), true));
                // the parts read on demand are stored in int8 and held only through their caches
                var ck = back.checkpoint();
                assertTrue(ck.find("blocks.0.ffn.key.weight").isEmpty() && ck.find("blocks.0.ffn.value.weight").isEmpty());
                assertEquals(dev.rwkvedge.tensor.DType.I8, ck.require("head.weight").dtype());
                assertEquals(dev.rwkvedge.tensor.DType.I8, ck.require("emb.weight").dtype());
                SizeReport before = SizeReport.of(m.model(), 0), after = SizeReport.of(back.model(), 0);
                assertEquals(before.residentBytes(), after.residentBytes(), "the file holds what the model held");
                var mix = (dev.rwkvedge.compress.sparse.SparseChannelMix) back.model().blocks().get(3).channelMix();
                assertEquals(40, mix.cacheNeurons());
                assertTrue(mix.cacheStats().misses() > 0 && mix.cacheStats().bytesRead() == mix.cacheStats().misses()
                        * (2L * back.config().embd() + 4), "int8 bundles read from the file: 2C + 4 bytes each");
                SizeReport.Part head = after.parts().getLast();
                assertTrue(head.cacheHitRate() >= 0 && head.readBytesPerToken() > 0, head.toString());
                // what info and compress print per part adds up to the report's part, item by item
                var held = dev.rwkvedge.compress.size.HeldReport.of(back.model());
                for (int i = 0; i < held.size(); i++) {
                    assertEquals(after.parts().get(i).component(), held.get(i).component());
                    assertEquals(after.parts().get(i).residentBytes(), held.get(i).bytes(), held.get(i).text());
                }
                // packed matrices were copied out of the mapping (whose pages would count in whole pages)
                assertFalse(ck.require("blocks.0.att.output.weight").data().isMapped());
                assertTrue(ck.require("head.weight").data().isMapped(), "tables read by position stay in the file");
            }
        }
    }

    /**
     * The bytes per component that info and compress print, plus the safetensors header (its 8-byte length and the
     * JSON it announces, read from the file itself), are the file's byte count: no tensor is left out or counted twice.
     */
    static void assertComponentsSumToTheFile(Path file, ModelSummary stored, SizeReport report) throws Exception {
        long header;
        try (var ch = java.nio.channels.FileChannel.open(file)) {
            var len = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            ch.read(len, 0);
            header = 8 + len.getLong(0);
        }
        long size = Files.size(file);
        for (ModelSummary.Component c : stored.components()) {
            assertTrue(java.util.List.of("embedding", "time-mix", "channel-mix", "norms", "head").contains(c.name()),
                    "a tensor outside the named components: " + c);
        }
        assertEquals(size, header + stored.bytes(), "info's components + header");
        assertEquals(size, header + report.parts().stream().mapToLong(SizeReport.Part::fileBytes).sum(),
                "compress's components + header");
    }

    @org.junit.jupiter.api.Test
    void aCompressedFileFindsItsSourcesVocabulary(@TempDir Path dir) throws Exception {
        Path src = dev.rwkvedge.model.SampleModel.locate().orElseThrow();
        Recipe recipe = Recipe.parse("{\"int8\": {}}", "test");
        try (LoadedModel m = LoadedModel.open(src)) {
            Compressor.Applied applied = Compressor.apply(m, recipe, null, ProgressListener.NONE);
            Path out = dir.resolve("elsewhere.safetensors");
            CompressedModelFile.write(out, m, recipe, applied);
            try (LoadedModel back = LoadedModel.open(out)) {
                var tok = dev.rwkvedge.tokenizer.Tokenizers.forModel(back.checkpoint(), back.config().vocab(), null);
                assertEquals(8192, tok.vocabularySize());
            }
        }
    }

    @org.junit.jupiter.api.Test
    void mixedPrecisionFileStoresExactlyTheQuantizedFormsAndReloadsBitIdentically(@TempDir Path dir) throws Exception {
        Path src = Reference.file("rwkv.cpp/tests/tiny-rwkv-7v0-834K-FP32.bin");
        Recipe recipe = Recipe.parse("""
                {"lowRank": {"method": "whitened", "matrices": ["att.key", "att.value"], "rule": {"fixed": 32},
                             "overrides": {"blocks.0.att.value": 24}},
                 "precision": {"default": "q4_1", "overrides": {"att.value": "q4_0", "blocks.1.att.output": "fp16",
                                                                "ffn.key": "int8"}}}""", "test");
        int[] probe = bytes("The end of the beginning.");
        try (LoadedModel m = LoadedModel.open(src)) {
            Compressor.Applied applied = Compressor.apply(m, recipe, bytes(TEXT + TEXT), ProgressListener.NONE);
            var q = applied.quantization();
            assertEquals(dev.rwkvedge.compress.quant.Precision.INT8, q.precisions().get("blocks.0.att.value_lr_b"),
                    "rank 24 is not whole 4-bit groups: int8");
            assertTrue(q.fallbacks().containsKey("blocks.0.att.value_lr_b"));
            assertTrue(q.feedbackTried() > 0 && q.relativeKeptError() <= q.relativeRoundingError());
            float[] expected = m.model().forwardSequence(probe, m.model().newState(), true);
            Path out = dir.resolve("mixed.safetensors");
            ModelSummary stored = CompressedModelFile.write(out, m, recipe, applied);
            try (LoadedModel back = LoadedModel.open(out)) {
                var t = back.checkpoint().tensors();
                assertEquals(DType.Q4_1, t.get("blocks.2.att.receptance.weight").dtype());
                assertEquals(DType.Q4_1, t.get("blocks.2.att.key.weight_lr_a").dtype());
                assertEquals(DType.Q4_1, t.get("blocks.2.att.key.weight_lr_b").dtype());
                assertEquals(DType.Q4_0, t.get("blocks.2.att.value.weight_lr_a").dtype());
                assertEquals(DType.F16, t.get("blocks.1.att.output.weight").dtype());
                assertEquals(DType.Q4_1, t.get("blocks.2.att.output.weight").dtype());
                assertEquals(DType.I8, t.get("blocks.3.ffn.key.weight").dtype());
                assertEquals(DType.Q4_1, t.get("blocks.3.ffn.value.weight").dtype());
                assertEquals(DType.I8, t.get("blocks.0.att.value.weight_lr_b").dtype());
                assertArrayEquals(expected, back.model().forwardSequence(probe, back.model().newState(), true));
                assertTrue(back.checkpoint().metadata().get("rwkv_edge.precisions").contains("\"q4_0\""));
                // the block matrices' bytes are what their forms need: 20 bytes per 32 weights for Q4_1 ...
                assertEquals(20L * 64 * 64 / 32, t.get("blocks.2.att.receptance.weight").data().byteSize());
                try (LoadedModel dense = LoadedModel.open(src)) {
                    var denseSummary = ModelSummary.of(dense.checkpoint(), dense.config());
                    for (String part : java.util.List.of("time-mix", "channel-mix")) {
                        long fp16 = 2 * denseSummary.components().stream().filter(c -> c.name().equals(part))
                                .mapToLong(ModelSummary.Component::parameters).sum();
                        long file = stored.components().stream().filter(c -> c.name().equals(part))
                                .mapToLong(ModelSummary.Component::bytes).sum();
                        assertTrue(file < fp16 / 2, part + ": " + file + " bytes stored vs " + fp16 + " in fp16");
                    }
                }
            }
            assertEquals(Files.size(out), applied.size().withFile(stored).fileBytes());
            // the dense reconstruction widens the 4-bit blocks, also of the reloaded file
            Path pth = dir.resolve("dense.pth");
            try (LoadedModel back = LoadedModel.open(out)) {
                DenseReconstruction.write(pth, back);
            }
            try (LoadedModel widened = LoadedModel.open(pth)) {
                float[] got = widened.model().forwardSequence(probe, widened.model().newState(), true);
                for (int i = 0; i < got.length; i++) assertEquals(expected[i], got[i], 1e-3f * (1 + Math.abs(expected[i])));
            }
        }
    }
}
