package dev.rwkvedge.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The greedy RWKV tokenizer over a vocabulary embedded in a GGUF file ({@code tokenizer.ggml.model = 'rwkv'}): token
 * i is entry i of {@code tokenizer.ggml.tokens}. llama.cpp's converter puts a {@code <s>} control token at id 0;
 * control tokens are never matched by encoding and decode to nothing.
 */
public final class GgufVocabularyTokenizer extends GreedyTokenizer {
    /** llama.cpp {@code LLAMA_TOKEN_TYPE_CONTROL}. */
    public static final int TYPE_CONTROL = 3;
    /** llama.cpp {@code LLAMA_TOKEN_TYPE_UNUSED}: the converter's {@code [PAD<i>]} fillers. */
    public static final int TYPE_UNUSED = 5;

    /**
     * @param tokens the bytes of each id, in id order
     * @param controlIds ids that are control tokens
     */
    public GgufVocabularyTokenizer(List<byte[]> tokens, Set<Integer> controlIds) {
        this("gguf vocabulary", tokens, controlIds);
    }

    public GgufVocabularyTokenizer(String name, List<byte[]> tokens, Set<Integer> controlIds) {
        super(name, tokens.toArray(byte[][]::new), toBitSet(controlIds, tokens.size()));
    }

    /**
     * Builds the tokenizer from the GGUF arrays as stored: {@code tokenizer.ggml.tokens} holds each token escaped
     * the way llama.cpp's converter writes it ({@code repr(bytes)[2:-1]}), and {@code tokenizer.ggml.token_type}
     * marks control and unused ids, which are kept out of encoding.
     */
    public static GgufVocabularyTokenizer fromGguf(String name, List<String> escapedTokens, int[] tokenTypes) {
        if (tokenTypes.length != escapedTokens.size()) {
            throw new IllegalArgumentException(
                    escapedTokens.size() + " tokens but " + tokenTypes.length + " token types");
        }
        List<byte[]> tokens = new ArrayList<>(escapedTokens.size());
        Set<Integer> control = new HashSet<>();
        for (int id = 0; id < tokenTypes.length; id++) {
            boolean special = tokenTypes[id] == TYPE_CONTROL || tokenTypes[id] == TYPE_UNUSED;
            // Only ordinary tokens are escaped by the converter; special names are plain UTF-8.
            tokens.add(special ? escapedTokens.get(id).getBytes(StandardCharsets.UTF_8) : unescape(escapedTokens.get(id)));
            if (special) control.add(id);
        }
        return new GgufVocabularyTokenizer(name, tokens, control);
    }

    /**
     * Undoes the converter's escaping as llama.cpp's RWKV vocabulary loader does: {@code \t \n \r \xNN}, and any
     * other escaped character stands for itself ({@code \\} is a backslash). Unescaped characters are UTF-8.
     */
    static byte[] unescape(String escaped) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(escaped.length());
        byte[] utf8 = escaped.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++) {
            byte b = utf8[i];
            if (b != '\\' || i + 1 == utf8.length) {
                out.write(b);
                continue;
            }
            byte next = utf8[++i];
            switch (next) {
                case 't' -> out.write('\t');
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 'x' -> {
                    if (i + 2 >= utf8.length) throw new IllegalArgumentException("truncated \\x escape in " + escaped);
                    out.write(Integer.parseInt(new String(utf8, i + 1, 2, StandardCharsets.US_ASCII), 16));
                    i += 2;
                }
                default -> out.write(next);
            }
        }
        return out.toByteArray();
    }

    private static BitSet toBitSet(Set<Integer> ids, int size) {
        BitSet bits = new BitSet(size);
        for (int id : ids) {
            if (id < 0 || id >= size) throw new IllegalArgumentException("control id " + id + " is out of range");
            bits.set(id);
        }
        return bits;
    }
}
