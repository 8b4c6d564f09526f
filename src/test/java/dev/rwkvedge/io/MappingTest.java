package dev.rwkvedge.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import dev.rwkvedge.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Big matrices are slices of the file mapping, not heap copies, and closing the checkpoint releases them. */
class MappingTest {
    @ParameterizedTest
    @ValueSource(strings = {"rwkv.cpp/tests/tiny-rwkv-7v0-834K-Q5_1.bin", "derived/blinkdl/tiny-rwkv-7v0-834K-bf16.pth",
            "derived/blinkdl/tiny-rwkv-5v2-730K-f32.safetensors", "derived/gguf/tiny-rwkv-7v0-834K-Q8_0.gguf"})
    void matricesAreMappedAndReleasedOnClose(String file) throws Exception {
        Checkpoint c = Checkpoints.open(Reference.file(file));
        Tensor key = c.require("blocks.3.att.key.weight");
        Tensor emb = c.require("emb.weight");
        assertTrue(key.data().isMapped(), file);
        assertTrue(emb.data().isMapped(), file);
        c.close();
        assertFalse(key.data().scope().isAlive());
        assertThrows(IllegalStateException.class, key::toFloats);
    }
}
