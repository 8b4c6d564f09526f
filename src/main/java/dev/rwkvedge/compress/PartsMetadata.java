package dev.rwkvedge.compress;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rwkvedge.io.ModelFormatException;
import java.nio.file.Path;

/**
 * The settings of the parts read on demand, as typed JSON in the compressed file's metadata. Files written before
 * this held comma-separated fields in the same keys; {@link #head} and {@link #sparse} still read those.
 */
final class PartsMetadata {
    private PartsMetadata() {}

    /** The clustered head's selection rule, measured rows per token (null if not measured) and row cache. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Head(double coverage, int minClusters, int maxClusters, Double rowsPerToken, Integer cacheRows) {}

    /**
     * A sparse channel mix: predictor kind ("mlp", "1bit", "both"), the MLP's threshold and width, the 1-bit
     * predictor's sparsity, the bundles' precision and the neuron cache size.
     */
    record Sparse(String kind, double threshold, int width, double sparsity, String precision, int cacheNeurons) {}

    static String write(Object o) {
        try {
            return Recipe.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @param legacyCacheRows the head cache size under its own key in older files, or null */
    static Head head(Path file, String key, String value, String legacyCacheRows) throws ModelFormatException {
        if (value == null) throw new ModelFormatException(file, "metadata " + key + " is missing");
        try {
            if (value.startsWith("{")) return Recipe.MAPPER.readValue(value, Head.class);
            String[] f = value.split(",");
            if (f.length != 4) throw new ModelFormatException(file, "metadata " + key + " is malformed: " + value);
            double rows = Double.parseDouble(f[3]);
            return new Head(Double.parseDouble(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                    Double.isNaN(rows) ? null : rows, legacyCacheRows == null ? null : Integer.parseInt(legacyCacheRows));
        } catch (JsonProcessingException | NumberFormatException e) {
            throw new ModelFormatException(file, "metadata " + key + " is malformed: " + value);
        }
    }

    static Sparse sparse(Path file, String key, String value) throws ModelFormatException {
        try {
            if (value.startsWith("{")) return Recipe.MAPPER.readValue(value, Sparse.class);
            String[] f = value.split(",");
            if (f.length != 6) throw new ModelFormatException(file, "metadata " + key + " is malformed: " + value);
            return new Sparse(f[0], Double.parseDouble(f[1]), Integer.parseInt(f[2]), Double.parseDouble(f[3]), f[4],
                    Integer.parseInt(f[5]));
        } catch (JsonProcessingException | NumberFormatException e) {
            throw new ModelFormatException(file, "metadata " + key + " is malformed: " + value);
        }
    }
}
