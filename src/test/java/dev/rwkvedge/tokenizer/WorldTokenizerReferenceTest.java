package dev.rwkvedge.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rwkvedge.Reference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The real World vocabulary and the 28 reference vectors of reference README §3. */
class WorldTokenizerReferenceTest {
    static final String VOCABULARY = "rwkv.cpp/python/rwkv_cpp/rwkv_vocab_v20230424.txt";
    static final String VECTORS = "derived/tokenizer/world-tokenizer-vectors.json";

    private static WorldTokenizer world;

    @BeforeAll
    static void load() throws IOException {
        world = WorldTokenizer.load(Reference.file(VOCABULARY));
    }

    record Vector(String source, byte[] utf8, int[] ids) {}

    static List<Vector> vectors() throws IOException {
        JsonNode cases = new ObjectMapper().readTree(Reference.file(VECTORS).toFile()).get("cases");
        List<Vector> out = new ArrayList<>();
        for (JsonNode c : cases) {
            int[] ids = new int[c.get("ids").size()];
            for (int i = 0; i < ids.length; i++) ids[i] = c.get("ids").get(i).asInt();
            out.add(new Vector(c.get("source").asText(), HexFormat.of().parseHex(c.get("utf8_hex").asText()), ids));
        }
        return out;
    }

    @Test
    void thereAre28Vectors() throws IOException {
        assertEquals(28, vectors().size());
    }

    @TestFactory
    Stream<DynamicTest> encodesAndDecodesEveryVector() throws IOException {
        List<Vector> vectors = vectors();
        return vectors.stream().map(v -> DynamicTest.dynamicTest("#" + vectors.indexOf(v) + " " + v.source(), () -> {
            assertArrayEquals(v.ids(), world.encode(v.utf8()), "encode(bytes)");
            String text = new String(v.utf8(), StandardCharsets.UTF_8);
            assertArrayEquals(v.ids(), world.encode(text), "encode(String)");
            assertArrayEquals(v.utf8(), world.decodeBytes(v.ids()), "decodeBytes");
            assertEquals(text, world.decode(v.ids()), "decode");
        }));
    }

    @Test
    void vocabularyHasTheDocumentedShape() {
        assertEquals(65_530, world.vocabularySize(), "ids 0..65529");
        for (int id = 1; id <= 65_529; id++) assertTrue(world.tokenBytes(id).length > 0, "id " + id);
        for (int b = 0; b < 256; b++) assertArrayEquals(new byte[] {(byte) b}, world.tokenBytes(b + 1), "byte " + b);
        assertEquals(128, world.longestTokenLength());
        assertArrayEquals(" ".repeat(128).getBytes(StandardCharsets.US_ASCII), world.tokenBytes(65_529));
        assertEquals("rwkv_vocab_v20230424.txt", world.name());
    }

    @Test
    void endOfTextIsControlAndNeverProduced() {
        assertTrue(world.isControl(WorldTokenizer.END_OF_TEXT));
        assertEquals("ab", world.decode(world.encode("a")[0], 0, world.encode("b")[0]));
        for (int id : world.encode("<|endoftext|>\u0000")) assertTrue(id > 0);
    }

    @Test
    void literalsWithEscapesDecodeToTheirBytes() {
        assertArrayEquals(new byte[] {(byte) 0xe2, (byte) 0x80, (byte) 0x82}, world.tokenBytes(9804), "'\\u2002'");
        assertEquals("'", world.decode(40), "\"'\"");
        assertEquals("\\", world.decode(93), "'\\\\'");
        assertArrayEquals(new byte[] {(byte) 0xe5, (byte) 0xbd}, world.tokenBytes(3082), "b'\\xe5\\xbd'");
    }

    @Test
    void encodesAMegabyteWellUnderASecond() {
        StringBuilder sb = new StringBuilder();
        try {
            List<Vector> vectors = vectors();
            while (sb.length() < 1 << 20) {
                for (Vector v : vectors) sb.append(new String(v.utf8(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
        long best = Long.MAX_VALUE;
        int[] ids = null;
        for (int run = 0; run < 5; run++) {
            long start = System.nanoTime();
            ids = world.encode(text);
            best = Math.min(best, System.nanoTime() - start);
        }
        double seconds = best / 1e9;
        System.out.printf("World encode: %d bytes -> %d tokens in %.1f ms = %.1f MB/s%n",
                text.length, ids.length, seconds * 1e3, text.length / 1e6 / seconds);
        assertArrayEquals(text, world.decodeBytes(ids));
        assertTrue(seconds < 1.0, "encoding 1 MB took " + seconds + " s");
    }
}
