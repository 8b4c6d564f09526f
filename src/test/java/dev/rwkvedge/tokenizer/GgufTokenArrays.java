package dev.rwkvedge.tokenizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of a GGUF v3 metadata reader to pull out the vocabulary arrays, so that the tokenizer can be checked
 * against the token strings llama.cpp's converter really wrote (the runtime's own GGUF reader lives elsewhere).
 */
record GgufTokenArrays(List<String> tokens, int[] tokenTypes) {
    private static final int TYPE_STRING = 8;
    private static final int TYPE_ARRAY = 9;

    static GgufTokenArrays read(Path file) throws IOException {
        ByteBuffer buf;
        try (FileChannel ch = FileChannel.open(file)) {
            buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
        }
        if (buf.getInt() != 0x46554747) throw new IOException(file + " is not GGUF");
        buf.getInt(); // version
        buf.getLong(); // tensor count
        long kvCount = buf.getLong();
        List<String> tokens = null;
        int[] types = null;
        for (long i = 0; i < kvCount; i++) {
            String key = string(buf);
            int type = buf.getInt();
            if (key.equals("tokenizer.ggml.tokens")) {
                buf.getInt();
                int n = (int) buf.getLong();
                tokens = new ArrayList<>(n);
                for (int j = 0; j < n; j++) tokens.add(string(buf));
            } else if (key.equals("tokenizer.ggml.token_type")) {
                buf.getInt();
                types = new int[(int) buf.getLong()];
                for (int j = 0; j < types.length; j++) types[j] = buf.getInt();
            } else {
                skip(buf, type);
            }
        }
        return new GgufTokenArrays(tokens, types);
    }

    private static String string(ByteBuffer buf) {
        byte[] b = new byte[(int) buf.getLong()];
        buf.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void skip(ByteBuffer buf, int type) {
        switch (type) {
            case TYPE_STRING -> string(buf);
            case TYPE_ARRAY -> {
                int elementType = buf.getInt();
                long n = buf.getLong();
                for (long j = 0; j < n; j++) skip(buf, elementType);
            }
            default -> buf.position(buf.position() + scalarSize(type));
        }
    }

    private static int scalarSize(int type) {
        return switch (type) {
            case 0, 1, 7 -> 1;
            case 2, 3 -> 2;
            case 4, 5, 6 -> 4;
            case 10, 11, 12 -> 8;
            default -> throw new IllegalArgumentException("GGUF value type " + type);
        };
    }
}
