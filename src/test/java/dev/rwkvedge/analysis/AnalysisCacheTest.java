package dev.rwkvedge.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.io.Checkpoints;
import dev.rwkvedge.task.CancelledException;
import dev.rwkvedge.task.ProgressListener;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalysisCacheTest {
    @TempDir
    Path tmp;
    Path model;
    AnalysisCache cache;

    @BeforeEach
    void copyModel() throws IOException {
        model = tmp.resolve("model.bin");
        Files.copy(Reference.file("rwkv.cpp/tests/tiny-rwkv-7v0-834K-FP32.bin"), model);
        cache = new AnalysisCache(tmp.resolve("cache"));
    }

    private AnalysisCache.Result analyse(ProgressListener p) throws IOException {
        try (Checkpoint ck = Checkpoints.open(model)) {
            return cache.spectra(ck, false, 2, p);
        }
    }

    private AnalysisCache.Result analyse() throws IOException {
        return analyse(ProgressListener.NONE);
    }

    @Test
    void hitReturnsIdenticalSpectraWithoutRehashing() throws IOException {
        AnalysisCache.Result first = analyse();
        assertFalse(first.fromCache());
        assertEquals("miss: not cached", first.cacheStatus());
        assertEquals(ContentHash.sha256(model, ProgressListener.NONE), first.sha256());
        List<String> messages = new ArrayList<>();
        // CPU time of this thread (a hit is single-threaded): the wall time on a shared machine measures the neighbours
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long t0 = mx.getCurrentThreadCpuTime();
        AnalysisCache.Result second = analyse((d, t, m) -> messages.add(m));
        double seconds = (mx.getCurrentThreadCpuTime() - t0) / 1e9;
        assertTrue(second.fromCache(), second.cacheStatus());
        assertTrue(seconds < 0.5, "a hit took " + seconds + " s of CPU");
        assertTrue(messages.stream().noneMatch(m -> m.startsWith("hashing")), "hashed again: " + messages);
        List<AnalyzedMatrix> a = first.spectra().matrices(), b = second.spectra().matrices();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).spectrum().values(), b.get(i).spectrum().values(), a.get(i).key());
            assertEquals(a.get(i).spectrum(), b.get(i).spectrum());
            assertEquals(a.get(i).metrics(), b.get(i).metrics(), a.get(i).key());
        }
    }

    @Test
    void changedFileMisses() throws IOException {
        String before = analyse().sha256();
        Files.copy(Reference.file("rwkv.cpp/tests/tiny-rwkv-5v2-730K-FP32.bin"), model, StandardCopyOption.REPLACE_EXISTING);
        AnalysisCache.Result after = analyse();
        assertNotEquals(before, after.sha256());
        assertEquals("miss: not cached", after.cacheStatus());
        assertTrue(after.spectra().find(0, "att.gate").isPresent(), "the v5.2 model's own matrices");
    }

    @Test
    void truncatedValuesAreRebuilt() throws IOException {
        String sha = analyse().sha256();
        Path bin = cache.entry(sha).resolve(AnalysisCache.VALUES);
        byte[] b = Files.readAllBytes(bin);
        Files.write(bin, java.util.Arrays.copyOf(b, b.length / 2));
        assertRebuilt();
    }

    @Test
    void flippedByteIsRebuilt() throws IOException {
        String sha = analyse().sha256();
        Path bin = cache.entry(sha).resolve(AnalysisCache.VALUES);
        byte[] b = Files.readAllBytes(bin);
        b[b.length / 2] ^= 0x10;
        Files.write(bin, b);
        assertRebuilt();
    }

    @Test
    void garbageIndexIsRebuilt() throws IOException {
        String sha = analyse().sha256();
        Files.writeString(cache.entry(sha).resolve(AnalysisCache.INDEX), "{\"version\": 1, \"matri");
        assertRebuilt();
    }

    @Test
    void otherVersionIsRebuilt() throws IOException {
        String sha = analyse().sha256();
        Path idx = cache.entry(sha).resolve(AnalysisCache.INDEX);
        String json = Files.readString(idx);
        assertTrue(json.contains("\"version\" : " + AnalysisCache.VERSION), json.substring(0, 80));
        Files.writeString(idx, json.replace("\"version\" : " + AnalysisCache.VERSION, "\"version\" : 999"),
                StandardCharsets.UTF_8);
        AnalysisCache.Result r = analyse();
        assertEquals("miss: cached by analysis version 999", r.cacheStatus());
        assertTrue(analyse().fromCache());
    }

    @Test
    void entryWithoutEmbeddingsIsCompletedWhenTheyAreAskedFor() throws IOException {
        AnalysisCache.Result blocks = analyse();
        String sha = blocks.sha256();
        assertFalse(cache.lookup(sha, true).hit());
        assertTrue(cache.lookup(sha, false).hit());
        AnalysisCache.Result all;
        try (Checkpoint ck = Checkpoints.open(model)) {
            all = cache.spectra(ck, true, 1, ProgressListener.NONE);
        }
        assertEquals("miss: cached without emb and head (blocks from the cache)", all.cacheStatus());
        List<AnalyzedMatrix> m = all.spectra().matrices();
        assertEquals(blocks.spectra().matrices().size() + 2, m.size());
        assertEquals("emb.weight", m.getFirst().key());
        assertEquals("head.weight", m.getLast().key());
        assertEquals(blocks.spectra().matrices(), m.subList(1, m.size() - 1));
        assertTrue(cache.lookup(sha, true).hit());
        assertEquals(blocks.spectra().matrices(), cache.lookup(sha, false).spectra().matrices());
    }

    @Test
    void cancelAfterTheFirstMatrixStopsAndStoresNothing() throws IOException {
        AtomicBoolean cancel = new AtomicBoolean();
        ProgressListener p = new ProgressListener() {
            @Override
            public void update(long done, long total, String message) {
                if (done >= 1 && !message.startsWith("hashing")) cancel.set(true);
            }

            @Override
            public boolean isCancelled() {
                return cancel.get();
            }
        };
        assertThrows(CancelledException.class, () -> analyse(p));
        String sha = ContentHash.sha256(model, ProgressListener.NONE);
        assertFalse(Files.exists(cache.entry(sha).resolve(AnalysisCache.INDEX)));
        assertFalse(cache.lookup(sha, false).hit());
    }

    private void assertRebuilt() throws IOException {
        AnalysisCache.Result r = analyse();
        assertFalse(r.fromCache());
        assertTrue(r.cacheStatus().startsWith("miss: unreadable cache entry"), r.cacheStatus());
        assertTrue(analyse().fromCache(), "the rebuilt entry serves the next open");
    }
}
