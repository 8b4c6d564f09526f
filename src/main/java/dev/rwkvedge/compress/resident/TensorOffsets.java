package dev.rwkvedge.compress.resident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rwkvedge.io.ModelFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a tensor's bytes start in a safetensors file, from its header, so a part can read them by position instead
 * of through the whole-file mapping.
 */
public final class TensorOffsets {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TensorOffsets() {}

    /** The absolute file offset of the named tensor's first byte. */
    public static long of(Path file, String tensor) throws ModelFormatException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            while (len.hasRemaining() && ch.read(len, len.position()) > 0) { /* fill */ }
            long n = len.getLong(0);
            if (len.hasRemaining() || n < 2 || n > ch.size() - 8) throw new ModelFormatException(file, "not a safetensors file");
            ByteBuffer header = ByteBuffer.allocate((int) n);
            while (header.hasRemaining() && ch.read(header, 8 + header.position()) > 0) { /* fill */ }
            JsonNode t = JSON.readTree(header.array()).get(tensor);
            if (t == null || !t.has("data_offsets")) throw new ModelFormatException(file, "missing tensor " + tensor);
            return 8 + n + t.get("data_offsets").get(0).asLong();
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read the header: " + e.getMessage());
        }
    }
}
