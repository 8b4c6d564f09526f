package dev.rwkvedge.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.compress.quant.Precision;
import dev.rwkvedge.compress.sparse.PredictorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecipeTest {
    @Test
    void shippedRecipesReadAndWriteTheSameJson() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("recipes"))) {
            for (Path f : files.filter(p -> !p.getFileName().toString().startsWith("sweep")).toList()) {
                Recipe r = Recipe.read(f);
                assertEquals(r, Recipe.parse(r.toJson(), "again"), f.toString());
            }
        }
    }

    @Test
    void fieldsAreTyped() throws Exception {
        Recipe r = Recipe.parse("""
                {"lowRank": {"method": "whitened", "rule": {"budget": 0.4}},
                 "sparseFfn": {"predictor": "1bit"},
                 "precision": {"default": "q4_1", "overrides": {"att.key": "int8", "blocks.0.att.key": "fp16"}}}""", "t");
        assertEquals(LowRankMethod.WHITENED, r.lowRank().method());
        assertEquals(new RankRule.Budget(0.4), r.lowRank().rule());
        assertTrue(r.lowRank().rule().global());
        assertEquals(PredictorKind.ONE_BIT, r.sparseFfn().predictor());
        assertEquals(Precision.FP16, r.precision().of("blocks.0.att.key"), "the full name wins");
        assertEquals(Precision.INT8, r.precision().of("blocks.1.att.key"));
        assertEquals(Precision.Q4_1, r.precision().of("blocks.1.att.value"));
        assertTrue(r.toJson().contains("\"default\" : \"q4_1\""), r.toJson());
        assertTrue(r.toJson().contains("\"budget\" : 0.4"), r.toJson());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"calibration\": {\"tokens\": -5}}|r.json: calibration.tokens must be in 2..100000000, not -5",
            "{\"head\": {\"clusters\": 64, \"coverage\": 5}}|r.json: head.coverage must be in (0, 1], not 5",
            "{\"lowRank\": {\"method\": \"whitened\", \"rule\": {\"ratio\": 0.25}, \"ridge\": -1}}|r.json: lowRank.ridge must be in [0, 1], not -1",
            "{\"lowRank\": {\"rule\": {\"ratio\": 1.5}}}|r.json: lowRank.rule.ratio must be in (0, 1], not 1.5",
            "{\"lowRank\": {\"rule\": {\"fixed\": 0}}}|r.json: lowRank.rule.fixed must be at least 1, not 0",
            "{\"sparseFfn\": {\"threshold\": -0.1}}|r.json: sparseFfn.threshold must be in [0, 1], not -0.1",
            "{\"sparseFfn\": {\"oneBitSparsity\": 1}}|r.json: sparseFfn.oneBitSparsity must be in [0, 1), not 1",
            "{\"sparseFfn\": {\"mlpWidth\": -4}}|r.json: sparseFfn.mlpWidth must be in 1..65536, not -4",
            "{\"sparseFfn\": {\"layerThresholds\": {\"0\": 2}}}|r.json: sparseFfn.layerThresholds.0 must be in [0, 1], not 2",
            "{\"head\": {\"clusters\": 64, \"minClusters\": 70, \"maxClusters\": 80}}|r.json: head.minClusters must be in 1..64, not 70",
            "{\"embedding\": {\"cacheRows\": 100000000}}|r.json: embedding.cacheRows must be in 1..16777216, not 100000000",
            "{\"generation\": \"9\"}|r.json: generation \"9\" is not an RWKV generation (4, 5.1, 5.2, 6 or 7)",
    })
    void everyFieldIsRangeChecked(String json, String message) {
        Recipe.RecipeException e = assertThrows(Recipe.RecipeException.class, () -> Recipe.parse(json, "r.json"));
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"precision\": {\"default\": \"q3\"}}|q3",
            "{\"lowRank\": {\"method\": \"qr\", \"rule\": {\"ratio\": 0.5}}}|qr",
            "{\"lowRank\": {\"rule\": {\"ratio\": 0.5, \"energy\": 0.9}}}|exactly one",
            "{\"lowRank\": {\"rule\": {\"fixed\": 2.5}}}|fixed",
            "{\"lowRank\": {\"rule\": {\"colour\": 2}}}|colour",
            "{\"sparseFfn\": {\"predictor\": \"tree\"}}|tree",
            "{\"precision\": {\"default\": \"int8\", \"shade\": 1}}|shade",
            "{\"calibration\": {\"tokens\": \"many\"}}|tokens",
    })
    void badValuesAreOneLineNamingTheRecipe(String json, String mentions) {
        Recipe.RecipeException e = assertThrows(Recipe.RecipeException.class, () -> Recipe.parse(json, "r.json"));
        assertTrue(e.getMessage().startsWith("r.json: "), e.getMessage());
        assertTrue(e.getMessage().contains(mentions), e.getMessage());
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("Exception"), e.getMessage());
        assertTrue(e.getMessage().length() < 300, e.getMessage());
    }
}
