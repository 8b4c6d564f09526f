package dev.rwkvedge.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer that fails midway leaves no temp file and the old destination as it was. */
class AtomicWriteTest {
    @TempDir
    Path dir;

    private static final byte[] OLD = "the previous model".getBytes(StandardCharsets.US_ASCII);

    /** Tensors whose second one's bytes vanish (its arena is closed) after the first was written. */
    private static Map<String, Tensor> unreadable() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("a", Tensor.ofFloats("a", new float[] {1, 2, 3, 4}, 4));
        Arena arena = Arena.ofConfined();
        MemorySegment seg = arena.allocate(16);
        m.put("b", new Tensor("b", DType.F32, new long[] {4}, seg));
        arena.close();
        return m;
    }

    interface Writer {
        void write(Path dest, Map<String, Tensor> tensors) throws IOException;
    }

    private void assertFailsCleanly(Writer w) throws Exception {
        Path dest = dir.resolve("model.out");
        Files.write(dest, OLD);
        assertThrows(IOException.class, () -> w.write(dest, unreadable()));
        assertArrayEquals(OLD, Files.readAllBytes(dest));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(dest), files.toList(), "a temp file was left behind");
        }
    }

    @Test
    void failingTensorLeavesDestinationUntouched() throws Exception {
        assertFailsCleanly((d, t) -> SafetensorsWriter.write(d, t, Map.of()));
        assertFailsCleanly(PthWriter::write);
    }

    @Test
    void failingRwkvCppAndGgufWritersLeaveDestinationUntouched() throws Exception {
        Map<String, Tensor> model = new LinkedHashMap<>(unreadable());
        model.put("emb.weight", Tensor.ofFloats("emb.weight", new float[8], 2, 4));
        model.put("blocks.0.ln1.weight", model.remove("b").withName("blocks.0.ln1.weight"));
        assertFailsCleanly((d, t) -> RwkvCppWriter.write(d, model, DType.F32));
    }

    /** A real 7v0 model whose last matrix cannot be read: both model-format writers fail after writing most of it. */
    @Test
    void failingModelWritersLeaveDestinationUntouched() throws Exception {
        try (Checkpoint src = Checkpoints.open(dev.rwkvedge.Reference.file(Tensors.BLINKDL + "tiny-rwkv-7v0-834K-f32.pth"))) {
            Map<String, Tensor> model = new LinkedHashMap<>(src.tensors());
            Tensor last = model.get("blocks.11.ffn.value.weight");
            Arena gone = Arena.ofConfined();
            MemorySegment seg = gone.allocate(last.data().byteSize());
            gone.close();
            model.put(last.name(), new Tensor(last.name(), last.dtype(), last.shape(), seg));
            assertFailsCleanly((d, t) -> RwkvCppWriter.write(d, model, DType.F32));
            assertFailsCleanly((d, t) -> GgufWriter.write(d, model, "x", java.util.Optional.empty()));
            assertFailsCleanly((d, t) -> PthWriter.write(d, model));
        }
    }

    /** The rename fails (the destination is a non-empty folder): the verified temp file must still go. */
    @Test
    void failedRenameRemovesTempFile() throws Exception {
        Path dest = dir.resolve("occupied");
        Files.createDirectory(dest);
        Files.write(dest.resolve("keep"), OLD);
        assertThrows(IOException.class, () -> SafetensorsWriter.write(dest, Map.of("a", Tensor.ofFloats("a", new float[] {1}, 1)), Map.of()));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(dest), files.toList());
        }
        assertArrayEquals(OLD, Files.readAllBytes(dest.resolve("keep")));
    }

    @Test
    void successReplacesDestination() throws Exception {
        Path dest = dir.resolve("model.safetensors");
        Files.write(dest, OLD);
        SafetensorsWriter.write(dest, Map.of("a", Tensor.ofFloats("a", new float[] {1, 2}, 2)), Map.of("k", "v"));
        try (Checkpoint c = Checkpoints.open(dest)) {
            assertArrayEquals(new float[] {1, 2}, c.require("a").toFloats());
            assertEquals("v", c.metadata().get("k"));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.allMatch(dest::equals));
        }
        Path fresh = dir.resolve("fresh.safetensors");
        SafetensorsWriter.write(fresh, Map.of("a", Tensor.ofFloats("a", new float[] {1}, 1)), Map.of());
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
    }
}
