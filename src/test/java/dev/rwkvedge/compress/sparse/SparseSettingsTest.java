package dev.rwkvedge.compress.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The settings travel in the JSON recipe: they must survive a round trip, with the recipe's spelling of kinds. */
class SparseSettingsTest {

    @Test
    void roundTripsThroughJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        SparseSettings s = SparseSettings.defaults(PredictorKind.ONE_BIT).withLayerSparsity(0.8, 0.9, 0.95)
                .withLayerThresholds(0.5, 0.6, 0.7).withMlp(new MlpTrainer.Settings(32, 50, 0.01, 7));
        String text = json.writeValueAsString(s);
        assertTrue(text.contains("\"predictor\":\"1bit\""), text);
        assertEquals(s, json.readValue(text, SparseSettings.class));
        assertEquals(0.95, s.sparsityFor(2));
        assertEquals(0.6, s.thresholdFor(1));
        assertEquals(0.7, SparseSettings.defaults(PredictorKind.MLP).thresholdFor(5));
    }
}
