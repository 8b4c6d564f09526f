package dev.rwkvedge.tokenizer;

import dev.rwkvedge.io.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Finds the tokenizer that belongs to a model file. */
public final class Tokenizers {
    /** Files made from another model (compressed exports) name it, so its vocabulary can be found beside it. */
    public static final String SOURCE_PATH_KEY = "rwkv_edge.source_path";

    private Tokenizers() {}

    /**
     * In order: an explicit vocabulary file; a vocabulary embedded in the file (GGUF); the byte tokenizer for a
     * 256-token model; a World-format vocabulary beside the model ({@code <name>.vocab.txt}, {@code vocab.txt},
     * {@code rwkv_vocab_v20230424.txt}), or beside the model a compressed file was made from.
     */
    public static Tokenizer forModel(Checkpoint ck, int vocab, Path explicit) throws IOException {
        if (explicit != null) return WorldTokenizer.load(explicit);
        if (ck.vocabulary().isPresent()) {
            List<byte[]> tokens = ck.vocabulary().get().tokens();
            Set<Integer> control = new HashSet<>();
            if (!tokens.isEmpty() && new String(tokens.get(0), java.nio.charset.StandardCharsets.UTF_8).equals("<s>")) {
                control.add(0);
            }
            return new GgufVocabularyTokenizer(ck.path().getFileName().toString(), tokens, control);
        }
        if (vocab == 256) return new ByteTokenizer();
        List<Path> models = new java.util.ArrayList<>(List.of(ck.path().toAbsolutePath()));
        String source = ck.metadata().get(SOURCE_PATH_KEY);
        if (source != null) models.add(Path.of(source));
        for (Path model : models) {
            Path dir = model.getParent();
            String stem = model.getFileName().toString().replaceFirst("\\.[^.]+$", "");
            for (String name : List.of(stem + ".vocab.txt", "vocab.txt", "rwkv_vocab_v20230424.txt")) {
                Path p = dir == null ? Path.of(name) : dir.resolve(name);
                if (Files.isRegularFile(p)) return WorldTokenizer.load(p);
            }
        }
        throw new IOException(ck.path() + ": no tokenizer found for a vocabulary of " + vocab
                + " tokens; pass --vocab FILE (a World-format vocabulary such as rwkv_vocab_v20230424.txt)");
    }
}
