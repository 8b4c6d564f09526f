package dev.rwkvedge.studio.views.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rwkvedge.compress.Calibration;
import dev.rwkvedge.compress.Compressor;
import dev.rwkvedge.compress.LowRankMethod;
import dev.rwkvedge.compress.Recipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Every recipe the project ships goes into the knobs and comes out as the same recipe: each field it sets reads back
 * with its value, each field it leaves out comes back at the value the engine uses for an absent field (asked of the
 * engine's own code where it has one), and loading the knobs' spelling again changes nothing.
 */
@ExtendWith(ApplicationExtension.class)
class RecipeFormTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LAYERS = 8;

    @Start
    void start(Stage stage) {}

    @Test
    void everyShippedRecipeRoundTripsThroughTheKnobs() throws Exception {
        Map<String, Recipe> shipped = shippedRecipes();
        assertTrue(shipped.size() >= 16, "recipes found: " + shipped.keySet());
        assertTrue(shipped.containsKey("edge.json") && shipped.containsKey("paper.json"));
        for (var e : shipped.entrySet()) roundTrips(e.getKey(), e.getValue());
    }

    @Test
    void everyNewKnobCarriesItsField() throws Exception {
        Recipe r = Recipe.parse("""
                {"lowRank": {"method": "whitened", "rule": {"ratio": 0.3334}, "ridge": 0.001,
                             "overrides": {"blocks.1.att.key": 12}},
                 "sparseFfn": {"predictor": "1bit", "oneBitSparsity": 0.8125, "cacheNeurons": 32, "mlpWidth": 48,
                               "layerThresholds": {"0": 0.6}},
                 "head": {"clusters": 64, "coverage": 0.9725, "maxClusters": 16, "space": "head", "tailRank": 8,
                          "cacheRows": 64, "precision": "f32"},
                 "embedding": {"cacheRows": 32, "precision": "f32"},
                 "precision": {"default": "q4_1", "overrides": {"ffn.value": "int8", "blocks.0.att.key": "fp16"},
                               "errorFeedback": false},
                 "calibration": {"tokens": 4096}}""", "every knob");
        Recipe spelled = roundTrips("every knob", r);
        assertEquals(32, spelled.sparseFfn().cacheNeurons());
        assertEquals(8, spelled.head().tailRank());
        assertEquals(64, spelled.head().cacheRows());
        assertEquals("f32", spelled.head().precision().label());
        assertEquals("f32", spelled.embedding().precision().label());
        assertEquals("q4_1", spelled.precision().fallback().label());
        assertEquals(Map.of("ffn.value", dev.rwkvedge.compress.quant.Precision.INT8,
                "blocks.0.att.key", dev.rwkvedge.compress.quant.Precision.FP16), spelled.precision().overrides());
        assertFalse(spelled.precision().feedback());
    }

    /** Loads the recipe into a fresh form, checks what comes out and returns it. */
    private static Recipe roundTrips(String name, Recipe original) throws Exception {
        Recipe spelled = onFx(() -> {
            RecipeForm form = new RecipeForm();
            form.load(original);
            return form.recipe();
        });
        assertSetFieldsKept(name, "", JSON.readTree(original.toJson()), JSON.readTree(spelled.toJson()));
        assertSameEffect(name, original, spelled);
        Recipe again = onFx(() -> {
            RecipeForm form = new RecipeForm();
            form.load(spelled);
            return form.recipe();
        });
        assertEquals(spelled, again, name + ": the knobs' spelling loads back as itself");
        return spelled;
    }

    private static void assertSetFieldsKept(String name, String path, JsonNode original, JsonNode spelled) {
        if (original.isObject()) {
            for (var it = original.fields(); it.hasNext(); ) {
                var f = it.next();
                String p = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
                assertTrue(spelled != null && spelled.has(f.getKey()), name + ": " + p + " was dropped");
                assertSetFieldsKept(name, p, f.getValue(), spelled.get(f.getKey()));
            }
        } else if (original.isNumber()) {
            assertEquals(original.doubleValue(), spelled.doubleValue(), 0.0, name + ": " + p(path));
        } else {
            assertEquals(original, spelled, name + ": " + p(path));
        }
    }

    private static String p(String path) {
        return path.isEmpty() ? "(top level)" : path;
    }

    /** What the engine reads from each section is the same, absent fields at the engine's own default. */
    private static void assertSameEffect(String name, Recipe a, Recipe b) throws Exception {
        assertEquals(a.lowRank() == null, b.lowRank() == null, name + ": lowRank on/off");
        if (a.lowRank() != null) {
            assertEquals(method(a.lowRank()), method(b.lowRank()), name + ": lowRank.method");
            assertEquals(a.lowRank().matrices(), b.lowRank().matrices(), name + ": lowRank.matrices");
            assertEquals(a.lowRank().rule(), b.lowRank().rule(), name + ": lowRank.rule");
            assertEquals(a.lowRank().ridgeOrDefault(), b.lowRank().ridgeOrDefault(), 0.0, name + ": lowRank.ridge");
            assertEquals(orEmpty(a.lowRank().overrides()), orEmpty(b.lowRank().overrides()), name + ": overrides");
        }
        assertEquals(a.sparseFfn() == null, b.sparseFfn() == null, name + ": sparseFfn on/off");
        if (a.sparseFfn() != null) {
            assertEquals(Compressor.sparseSettings(a.sparseFfn(), LAYERS).toString().replaceAll("\\[D@\\w+", ""),
                    Compressor.sparseSettings(b.sparseFfn(), LAYERS).toString().replaceAll("\\[D@\\w+", ""),
                    name + ": sparse settings");
            assertEquals(a.sparseFfn().layerThresholds(), b.sparseFfn().layerThresholds(), name + ": layer thresholds");
            assertEquals(a.sparseFfn().cacheNeurons(), b.sparseFfn().cacheNeurons(), name + ": cacheNeurons");
        }
        assertEquals(a.head(), b.head(), name + ": head");
        assertEquals(a.embedding(), b.embedding(), name + ": embedding");
        assertEquals(a.int8() != null && a.int8().on(), b.int8() != null && b.int8().on(), name + ": int8");
        assertEquals(a.precision() == null, b.precision() == null, name + ": precision on/off");
        if (a.precision() != null) {
            for (String m : List.of("blocks.0.att.key", "blocks.1.att.key", "blocks.0.ffn.value", "blocks.3.ffn.key")) {
                assertEquals(a.precision().of(m), b.precision().of(m), name + ": precision of " + m);
            }
            assertEquals(a.precision().feedback(), b.precision().feedback(), name + ": errorFeedback");
        }
        Recipe.Calibration ca = a.calibration(), cb = b.calibration();
        assertEquals(ca == null ? null : ca.file(), cb == null ? null : cb.file(), name + ": calibration.file");
        assertEquals(ca == null || ca.tokens() == null ? Calibration.DEFAULT_TOKENS : ca.tokens(),
                cb == null || cb.tokens() == null ? Calibration.DEFAULT_TOKENS : cb.tokens(), name + ": tokens");
        assertEquals(a.generation(), b.generation(), name + ": generation");
    }

    private static LowRankMethod method(Recipe.LowRank l) {
        return l.method() == null ? LowRankMethod.SVD : l.method();
    }

    private static <K, V> Map<K, V> orEmpty(Map<K, V> m) {
        return m == null ? Map.of() : m;
    }

    /** Every recipe file in recipes/, and every recipe of a sweep file there. */
    private static Map<String, Recipe> shippedRecipes() throws Exception {
        Map<String, Recipe> out = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("recipes"))) {
            s.filter(f -> f.toString().endsWith(".json")).sorted().forEach(files::add);
        }
        for (Path f : files) {
            JsonNode root = JSON.readTree(f.toFile());
            if (root.has("recipes")) {
                for (var it = root.get("recipes").fields(); it.hasNext(); ) {
                    var e = it.next();
                    out.put(f.getFileName() + "#" + e.getKey(), Recipe.parse(e.getValue().toString(), f + "#" + e.getKey()));
                }
            } else {
                out.put(f.getFileName().toString(), Recipe.read(f));
            }
        }
        return out;
    }

    private interface FxCall<T> {
        T call() throws Exception;
    }

    private static <T> T onFx(FxCall<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(60, TimeUnit.SECONDS);
    }
}
