package dev.rwkvedge.io;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A child process for {@link InterruptedWriteTest}: starts an atomic write of {@code args[0]}, writes some bytes, says
 * {@code writing} on stdout, then waits to be killed in the middle of the write.
 */
public final class SlowWrite {
    private SlowWrite() {}

    public static void main(String[] args) throws Exception {
        AtomicFiles.write(Path.of(args[0]), ch -> {
            ch.write(ByteBuffer.wrap(new byte[1 << 16]));
            System.out.println("writing");
            System.out.flush();
            try {
                Thread.sleep(120_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, null);
    }
}
