package dev.rwkvedge.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rwkvedge.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes safetensors: tensors in their own dtype (F32, F16, BF16, I8), sorted by name as the safetensors library does. */
public final class SafetensorsWriter {
    private SafetensorsWriter() {}

    public static void write(Path dest, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<Tensor> sorted = new ArrayList<>(tensors.values());
        sorted.sort(Comparator.comparing(Tensor::name));
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) header.put("__metadata__", new LinkedHashMap<>(metadata));
        long offset = 0;
        for (Tensor t : sorted) {
            String dtype = t.dtype().name();
            if (SafetensorsReader.dtypeOf(dtype) == null) {
                throw new IllegalArgumentException("safetensors cannot hold " + t.dtype() + " tensor " + t.name());
            }
            long end = offset + t.data().byteSize();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", dtype);
            entry.put("shape", Arrays.stream(t.shape()).boxed().toList());
            entry.put("data_offsets", List.of(offset, end));
            header.put(t.name(), entry);
            offset = end;
        }
        byte[] json = json(header);
        int padded = (json.length + 7) / 8 * 8;
        AtomicFile.write(dest, out -> {
            out.i64(padded).bytes(json);
            for (int i = json.length; i < padded; i++) out.u8(' ');
            for (Tensor t : sorted) out.segment(t.data());
        }, sorted, (tmp, arena) -> {
            SafetensorsReader.Content c = SafetensorsReader.parse(tmp, MappedFile.map(tmp, arena));
            if (!c.metadata().equals(metadata)) throw new IOException("writing " + dest + ": metadata did not read back");
            return c.tensors();
        });
    }

    private static byte[] json(Map<String, Object> header) {
        try {
            return new ObjectMapper().writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode safetensors header", e);
        }
    }
}
