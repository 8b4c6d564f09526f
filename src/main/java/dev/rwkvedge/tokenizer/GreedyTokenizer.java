package dev.rwkvedge.tokenizer;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Greedy longest-match tokenization over UTF-8 bytes, the RWKV World algorithm: at each position take the longest
 * token whose bytes match there. Control tokens are kept out of the trie, so text that spells one (for example
 * {@code <s>}) is encoded as plain text, as RWKV's reference tokenizers do.
 */
public abstract sealed class GreedyTokenizer implements Tokenizer permits WorldTokenizer, GgufVocabularyTokenizer {
    private final String name;
    /** Indexed by id; null where an id has no token. */
    private final byte[][] tokens;
    private final BitSet control;
    private final ByteTrie trie = new ByteTrie();

    protected GreedyTokenizer(String name, byte[][] tokens, BitSet control) {
        this.name = name;
        this.tokens = tokens.clone();
        this.control = (BitSet) control.clone();
        for (int id = 0; id < this.tokens.length; id++) {
            byte[] token = this.tokens[id];
            if (token == null || control.get(id)) continue;
            this.tokens[id] = token.clone();
            trie.add(token, id);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when a byte starts no token (a vocabulary without all 256 single bytes)
     */
    @Override
    public int[] encode(byte[] utf8) {
        // Tokens average several bytes; start at a third of the input and grow rarely.
        int[] ids = new int[Math.max(16, utf8.length / 3)];
        int count = 0;
        int position = 0;
        while (position < utf8.length) {
            long match = trie.longestMatch(utf8, position);
            if (match < 0) {
                throw new IllegalArgumentException(String.format(
                        "%s: no token matches byte 0x%02x at offset %d", name, utf8[position] & 0xff, position));
            }
            if (count == ids.length) ids = Arrays.copyOf(ids, count * 2);
            ids[count++] = (int) match;
            position += (int) (match >>> 32);
        }
        return Arrays.copyOf(ids, count);
    }

    @Override
    public int vocabularySize() {
        return tokens.length;
    }

    @Override
    public byte[] tokenBytes(int id) {
        return checked(id).clone();
    }

    @Override
    public byte[] decodeBytes(int... ids) {
        // Overrides the interface default to skip the defensive copy tokenBytes makes per token.
        int length = 0;
        for (int id : ids) length += isControl(id) ? 0 : checked(id).length;
        byte[] out = new byte[length];
        int at = 0;
        for (int id : ids) {
            if (isControl(id)) continue;
            byte[] token = tokens[id];
            System.arraycopy(token, 0, out, at, token.length);
            at += token.length;
        }
        return out;
    }

    private byte[] checked(int id) {
        if (id < 0 || id >= tokens.length || tokens[id] == null) {
            throw new IllegalArgumentException(name + ": no token with id " + id);
        }
        return tokens[id];
    }

    @Override
    public boolean isControl(int id) {
        return id >= 0 && control.get(id);
    }

    @Override
    public String name() {
        return name;
    }

    /** The length in bytes of the longest token that encoding can produce. */
    public int longestTokenLength() {
        int longest = 0;
        for (int id = 0; id < tokens.length; id++) {
            if (tokens[id] != null && !control.get(id)) longest = Math.max(longest, tokens[id].length);
        }
        return longest;
    }

    @Override
    public String toString() {
        return name + " (" + tokens.length + " ids)";
    }
}
