package dev.rwkvedge.tensor;

/**
 * Element storage types. Block types store {@code blockSize} elements in {@code bytesPerBlock} bytes;
 * blocks run along the contiguous (last PyTorch) axis.
 */
public enum DType {
    F32(1, 4),
    F16(1, 2),
    BF16(1, 2),
    Q4_0(32, 18),
    Q4_1(32, 20),
    Q5_0(32, 22),
    Q5_1(32, 24),
    Q8_0(32, 34),
    Q4_K(256, 144),
    /** Signed bytes; scales live in a separate tensor (our int8 compression). */
    I8(1, 1);

    public final int blockSize;
    public final int bytesPerBlock;

    DType(int blockSize, int bytesPerBlock) {
        this.blockSize = blockSize;
        this.bytesPerBlock = bytesPerBlock;
    }

    public boolean isBlockQuantized() {
        return blockSize > 1;
    }

    /** Bytes needed for {@code n} elements, or -1 when n is not a whole number of blocks. */
    public long byteSize(long n) {
        if (n < 0 || n % blockSize != 0) return -1;
        return Math.multiplyExact(n / blockSize, (long) bytesPerBlock);
    }
}
