package dev.rwkvedge.compress.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rwkvedge.Reference;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.runtime.DenseEmbedding;
import dev.rwkvedge.runtime.Embedding;
import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import dev.rwkvedge.compress.resident.RowPrecision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CachedEmbeddingTest {

    static void assertSameRows(Embedding expected, Embedding actual, int[] order) {
        int C = expected.dim();
        float[] e = new float[C], a = new float[C];
        for (int token : order) {
            expected.row(token, e, 0);
            actual.row(token, a, 0);
            assertArrayEquals(e, a, "row " + token);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"FP32", "FP16", "Q5_1"})
    void everyRowEqualsTheDenseTableAndTheModelOutputIsUnchanged(String type) throws Exception {
        try (LoadedModel m = LoadedModel.open(Reference.file("rwkv.cpp/tests/tiny-rwkv-7v0-834K-" + type + ".bin"))) {
            DenseEmbedding dense = (DenseEmbedding) m.model().embedding();
            CachedEmbedding cached = new CachedEmbedding(dense, 10);
            int V = dense.vocab();
            int[] twice = new int[2 * V];
            for (int i = 0; i < 2 * V; i++) twice[i] = (i * 37) % V;
            assertSameRows(dense, cached, twice);

            int[] prompt = toTokens("Embedding rows come from the mapped file through a small cache.");
            float[] before = m.model().forwardSequence(prompt, m.model().newState(), true);
            CachedEmbedding installed = CachedEmbedding.install(m.model(), new EmbeddingCacheSettings(8, RowPrecision.F32));
            assertSame(installed, m.model().embedding());
            float[] after = m.model().forwardSequence(prompt, m.model().newState(), true);
            assertArrayEquals(before, after);
            assertEquals(prompt.length, installed.hits() + installed.misses());
        }
    }

    static int[] toTokens(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        int[] t = new int[b.length];
        for (int i = 0; i < b.length; i++) t[i] = b[i];
        return t;
    }

    /** A 10 x 4 table whose row v is (v, v, v, v). */
    static Tensor table() {
        float[] v = new float[40];
        for (int i = 0; i < 40; i++) v[i] = i / 4;
        return new Tensor("emb.weight", DType.F32, new long[] {10, 4}, MemorySegment.ofArray(v));
    }

    @Test
    void evictsTheLeastRecentlyUsedRow() {
        CachedEmbedding c = new CachedEmbedding(new DenseEmbedding(table()), 3);
        float[] out = new float[4];
        // by hand, cache most recent first, (h)it or (m)iss:
        // 1 m [1]; 2 m [2 1]; 3 m [3 2 1]; 1 h [1 3 2]; 4 m evicts 2 [4 1 3]; 2 m evicts 3 [2 4 1];
        // 1 h [1 2 4]; 3 m evicts 4 [3 1 2]; 4 m evicts 2 [4 3 1]
        int[] sequence = {1, 2, 3, 1, 4, 2, 1, 3, 4};
        for (int t : sequence) {
            c.row(t, out, 0);
            assertArrayEquals(new float[] {t, t, t, t}, out);
        }
        assertEquals(2, c.hits());
        assertEquals(7, c.misses());
        assertArrayEquals(new int[] {4, 3, 1}, c.cachedTokens());
        c.row(1, out, 0);
        assertArrayEquals(new int[] {1, 4, 3}, c.cachedTokens());
        assertEquals(3, c.hits());
        assertThrows(IndexOutOfBoundsException.class, () -> c.row(10, out, 0));
    }

    @Test
    void residentBytesAreTheCacheAndItsBookkeepingNotTheTable() {
        CachedEmbedding c = new CachedEmbedding(new DenseEmbedding(table()), 3);
        assertEquals(3 * 4 * 4, c.cacheBytes());
        // rows, the token-to-slot table, three LRU links per slot, and a staging block of up to 64 rows
        assertEquals(3 * 4 * 4 + 4 * 10 + 12 * 3 + 3 * 4 * 4, c.residentBytes());
        assertEquals(40, c.parameters());
    }

    @Test
    void int8RowsAreEachRowRoundedToItsOwnScale() throws Exception {
        try (LoadedModel m = LoadedModel.open(Reference.file("rwkv.cpp/tests/tiny-rwkv-7v0-834K-FP32.bin"))) {
            DenseEmbedding dense = (DenseEmbedding) m.model().embedding();
            int C = dense.dim();
            CachedEmbedding q = CachedEmbedding.install(m.model(), new EmbeddingCacheSettings(4));
            assertEquals(RowPrecision.INT8, q.table().precision());
            float[] e = new float[C], a = new float[C];
            for (int token : new int[] {0, 7, 100, 7, 255}) {
                dense.row(token, e, 0);
                q.row(token, a, 0);
                float amax = 0;
                for (float v : e) amax = Math.max(amax, Math.abs(v));
                float s = amax / 127f;
                for (int i = 0; i < C; i++) {
                    assertEquals(Math.round(e[i] * (1 / s)) * s, a[i], 0f, "token " + token + " [" + i + "]");
                    assertTrue(Math.abs(a[i] - e[i]) <= s / 2 + Math.ulp(amax), "within half a step");
                }
            }
            assertEquals(1, q.hits());
            assertEquals(4L * C, q.stats().bytesRead(), "four int8 rows read, one byte per value");
        }
    }

    @Test
    void cacheRowsComeFromTheRecipeWithThePapersDefault() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertEquals(1000, json.readValue("{}", EmbeddingCacheSettings.class).cacheRows());
        assertEquals(256, json.readValue("{\"cacheRows\": 256}", EmbeddingCacheSettings.class).cacheRows());
    }
}
