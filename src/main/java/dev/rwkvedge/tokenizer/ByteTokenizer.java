package dev.rwkvedge.tokenizer;

/**
 * The byte-level vocabulary of rwkv.cpp's tiny test models (n_vocab 256): token id = byte value. Every byte string
 * encodes, and decoding is exact.
 */
public final class ByteTokenizer implements Tokenizer {
    public static final int VOCABULARY_SIZE = 256;

    @Override
    public int[] encode(byte[] utf8) {
        int[] ids = new int[utf8.length];
        for (int i = 0; i < utf8.length; i++) ids[i] = utf8[i] & 0xff;
        return ids;
    }

    @Override
    public byte[] decodeBytes(int... ids) {
        byte[] out = new byte[ids.length];
        for (int i = 0; i < ids.length; i++) out[i] = (byte) checked(ids[i]);
        return out;
    }

    @Override
    public int vocabularySize() {
        return VOCABULARY_SIZE;
    }

    @Override
    public byte[] tokenBytes(int id) {
        return new byte[] {(byte) checked(id)};
    }

    @Override
    public String name() {
        return "bytes";
    }

    private static int checked(int id) {
        if (id < 0 || id >= VOCABULARY_SIZE) throw new IllegalArgumentException("no byte token with id " + id);
        return id;
    }
}
