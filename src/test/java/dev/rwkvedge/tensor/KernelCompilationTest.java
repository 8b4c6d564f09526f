package dev.rwkvedge.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The JVM takes the directive that keeps the vector kernels compiled on their own (a malformed one is refused). */
class KernelCompilationTest {
    @Test
    void theJvmAcceptsTheDirective() {
        assertTrue(KernelCompilation.install());
    }
}
