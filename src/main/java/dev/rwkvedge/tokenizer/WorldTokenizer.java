package dev.rwkvedge.tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * The RWKV World tokenizer (greedy longest byte match), loaded from a vocabulary in the
 * {@code rwkv_vocab_v20230424.txt} format: the real World vocabulary or a smaller project vocabulary in that format.
 * Id 0 is end of text: it is not in the file, encoding never produces it and decoding drops it.
 */
public final class WorldTokenizer extends GreedyTokenizer {
    public static final int END_OF_TEXT = 0;

    private WorldTokenizer(String name, byte[][] tokens, BitSet control) {
        super(name, tokens, control);
    }

    /**
     * Loads a vocabulary file.
     *
     * @throws dev.rwkvedge.io.ModelFormatException naming the file and line of a malformed entry
     */
    public static WorldTokenizer load(Path vocabulary) throws IOException {
        byte[][] tokens = WorldVocabularyReader.read(vocabulary);
        tokens[END_OF_TEXT] = new byte[0];
        BitSet control = new BitSet();
        control.set(END_OF_TEXT);
        return new WorldTokenizer(vocabulary.getFileName().toString(), tokens, control);
    }
}
