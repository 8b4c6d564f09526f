package dev.rwkvedge.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Damaged copies of real files of every format, opened and run for one token in a child JVM with a 512 MB heap (so an
 * allocation from a lying size shows as OutOfMemoryError, as it would for a user). Every outcome must be a clean
 * one-line error naming the file (at open, or at the first token when weights are not finite), or a model with finite
 * logits whose damage lies inside tensor data; see docs/reliability.md. {@code -Dfuzz.cases=50000} runs the long
 * campaign.
 */
class ReaderFuzzTest {
    private static final int CASES = Integer.getInteger("fuzz.cases", 2000);
    private static final long SEED = Long.getLong("fuzz.seed", 20261204L);

    @Test
    void damagedFilesFailCleanlyOrRunFinite() throws Exception {
        List<String> files = List.of(
                Reference.file(Tensors.BLINKDL + "tiny-rwkv-7v0-834K-bf16.pth").toString(),
                Reference.file(Tensors.BLINKDL + "tiny-rwkv-7v0-834K-f32.safetensors").toString(),
                Reference.file("derived/gguf/tiny-rwkv-7v0-834K-F32-to-Q4_0.gguf").toString(),
                Reference.file("rwkv.cpp/tests/tiny-rwkv-5v1-730K-Q5_1.bin").toString());
        String out = fuzz(CASES, files);
        // the 20 MB sample model: fewer cases, as each one copies, checks and inflates 20 MB
        out += fuzz(Math.max(1, CASES / 40), List.of(Path.of("models-sample", "rwkv7-kjv-5m.pth").toAbsolutePath().toString()));
        System.out.print(out);
        assertTrue(!out.contains("VIOLATION") && !out.contains(" HANG:"), out);
        long lines = out.lines().filter(l -> l.startsWith("fuzz ")).count();
        assertEquals(files.size() + 1, lines, out);
        // .pth checks CRC-32s: no damaged weights can load
        out.lines().filter(l -> l.startsWith("fuzz ") && l.contains(".pth ")).forEach(l -> {
            assertTrue(l.contains("NOT_FINITE_REPORTED 0 ") && l.contains("OPENED_DAMAGED_IN_TENSOR_DATA 0 "), l);
        });
    }

    private String fuzz(int cases, List<String> files) throws Exception {
        List<String> args = new ArrayList<>(List.of(Integer.toString(cases), Long.toString(SEED)));
        args.addAll(files);
        Process p = ChildJava.start(ReaderFuzz.class, java.util.Map.of(), false, args.toArray(String[]::new));
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        boolean done = p.waitFor(10 + cases / 100, TimeUnit.MINUTES);
        if (!done) p.destroyForcibly();
        String report = out.get() + err.get().lines().filter(l -> !l.startsWith("WARNING")).map(l -> l + "\n")
                .collect(java.util.stream.Collectors.joining());
        assertTrue(done, "fuzz child did not finish: " + report);
        assertEquals(0, p.exitValue(), report);
        return report;
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
