package dev.rwkvedge.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.io.ModelFormatException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PartsMetadataTest {
    static final Path FILE = Path.of("m.safetensors");

    @Test
    void typedJsonRoundTripsAndOldCommaFieldsStillRead() throws Exception {
        var head = new PartsMetadata.Head(0.97, 3, 16, 1971.5, 64);
        String json = PartsMetadata.write(head);
        assertTrue(json.startsWith("{\"coverage\":0.97"), json);
        assertEquals(head, PartsMetadata.head(FILE, "k", json, null));
        // files written before: "coverage,min,max,rowsPerToken" and the cache size under its own key
        assertEquals(head, PartsMetadata.head(FILE, "k", "0.97,3,16,1971.5", "64"));
        assertEquals(new PartsMetadata.Head(0.9, 3, 8, null, null), PartsMetadata.head(FILE, "k", "0.9,3,8,NaN", null));

        var sparse = new PartsMetadata.Sparse("1bit", 0, 0, 0.9, "int8", 32);
        assertEquals(sparse, PartsMetadata.sparse(FILE, "k", PartsMetadata.write(sparse)));
        assertEquals(sparse, PartsMetadata.sparse(FILE, "k", "1bit,0,0,0.9,int8,32"));
    }

    @Test
    void malformedMetadataNamesTheFileAndTheKey() {
        var e = assertThrows(ModelFormatException.class, () -> PartsMetadata.head(FILE, "rwkv_edge.head_selection", "0.9,3", null));
        assertTrue(e.getMessage().contains("m.safetensors") && e.getMessage().contains("rwkv_edge.head_selection"), e.getMessage());
        assertThrows(ModelFormatException.class, () -> PartsMetadata.sparse(FILE, "k", "{\"kind\": 3, \"bogus\": 1}"));
    }
}
