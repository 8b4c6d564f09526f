package dev.rwkvedge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files derived from the sample model and written beside it never pass for the sample model. */
class SampleModelLocateTest {
    @AfterEach
    void restore() {
        System.clearProperty("rwkv.sample.dir");
    }

    @Test
    void onlyTheExactFileNameIsTheSampleModel(@TempDir Path dir) throws Exception {
        System.setProperty("rwkv.sample.dir", dir.toString());
        // both sort before rwkv7-kjv-5m.pth, as an export's dense reconstruction did
        Files.writeString(dir.resolve("rwkv7-kjv-5m-compressed-dense.pth"), "derived");
        Files.writeString(dir.resolve("a.pth"), "other");
        assertTrue(SampleModel.locate().isEmpty());

        Path sample = Files.writeString(dir.resolve(SampleModel.FILE_NAME), "the sample");
        assertEquals(Optional.of(sample), SampleModel.locate());
    }
}
