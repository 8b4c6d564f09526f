package dev.rwkvedge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runtime depends on the tensor kernels only: it names nothing of the model loader, the file readers or
 * compression, by import or by qualified name, so that the package cycle runtime <-> model cannot come back.
 */
class RuntimeDependenciesTest {
    private static final Path RUNTIME = Path.of("src/main/java/dev/rwkvedge/runtime");
    private static final Pattern FORBIDDEN = Pattern.compile("\\bdev\\.rwkvedge\\.(model|io|compress)\\b");

    @Test
    void runtimeNamesNoModelIoOrCompressClass() throws IOException {
        assertTrue(Files.isDirectory(RUNTIME), "run from the project root: " + RUNTIME.toAbsolutePath());
        List<String> found = new ArrayList<>();
        int files = 0;
        try (Stream<Path> s = Files.walk(RUNTIME)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                files++;
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    if (FORBIDDEN.matcher(lines.get(i)).find()) found.add(RUNTIME.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        assertTrue(files > 20, "only " + files + " runtime sources found");
        assertEquals(List.of(), found);
    }
}
