package dev.rwkvedge.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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

    /**
     * The campaign's classification of a same-length change, on a crafted 64-byte file: a header (0-8), two adjacent
     * tensors (8-16, 16-24), padding (24-32), a tensor (32-40) and a tail. Judged by the bytes that differ, not by the
     * window written: the three kinds of write the long run misclassified (a +1 whose window reaches past a tensor but
     * changes only its low byte, a write across two adjacent tensors, padding plus tensor) and a header change.
     */
    @Test
    void inPlaceChangesAreClassifiedByTheBytesThatDiffer() {
        byte[] original = new byte[64];
        for (int i = 0; i < original.length; i++) original[i] = (byte) i;
        long[][] tensors = {{8, 16}, {16, 24}, {32, 40}};

        // old + 1 as 8 bytes at 20 (window 20-28, half in the padding): byte 20 goes from 20 to 21, no carry
        ReaderFuzz.Mutation lowByte = ReaderFuzz.inPlace(original, write(original, 20, le(original, 20) + 1), tensors, "");
        assertEquals(1, differing(original, lowByte.bytes()));
        assertTrue(lowByte.onlyTensorData());
        assertNull(lowByte.outsideOnly());

        // -1 as 8 bytes at 12: the last 4 bytes of one tensor and the first 4 of the next
        ReaderFuzz.Mutation straddling = ReaderFuzz.inPlace(original, write(original, 12, -1), tensors, "");
        assertEquals(8, differing(original, straddling.bytes()));
        assertTrue(straddling.onlyTensorData());
        assertNull(straddling.outsideOnly());

        // -1 as 8 bytes at 28: 4 bytes of padding (28-32) and 4 of the third tensor (32-36)
        ReaderFuzz.Mutation padding = ReaderFuzz.inPlace(original, write(original, 28, -1), tensors, "");
        assertFalse(padding.onlyTensorData());
        byte[] paddingOnly = original.clone();
        for (int i = 28; i < 32; i++) paddingOnly[i] = (byte) 0xFF;
        assertArrayEquals(paddingOnly, padding.outsideOnly());

        // a header byte: outside, and nothing inside to separate from it
        byte[] header = original.clone();
        header[3] = 99;
        ReaderFuzz.Mutation inHeader = ReaderFuzz.inPlace(original, header, tensors, "");
        assertFalse(inHeader.onlyTensorData());
        assertNull(inHeader.outsideOnly());

        // the last byte of a tensor and the first byte after it (a tensor's end is exclusive)
        byte[] edge = original.clone();
        edge[39] = 0;
        edge[40] = 0;
        ReaderFuzz.Mutation atEnd = ReaderFuzz.inPlace(original, edge, tensors, "");
        assertFalse(atEnd.onlyTensorData());
        byte[] afterOnly = original.clone();
        afterOnly[40] = 0;
        assertArrayEquals(afterOnly, atEnd.outsideOnly());
    }

    private static long le(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(at);
    }

    private static byte[] write(byte[] original, int at, long value) {
        byte[] b = original.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at, value);
        return b;
    }

    private static int differing(byte[] a, byte[] b) {
        int n = 0;
        for (int i = 0; i < a.length; i++) if (a[i] != b[i]) n++;
        return n;
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
