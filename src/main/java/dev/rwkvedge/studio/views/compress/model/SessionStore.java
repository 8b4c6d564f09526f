package dev.rwkvedge.studio.views.compress.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rwkvedge.analysis.AnalysisCache;
import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.compress.SizeReport;
import dev.rwkvedge.io.AtomicFiles;
import dev.rwkvedge.studio.views.compress.TaskScore;
import dev.rwkvedge.studio.views.compress.TradeOffPoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every point tried on a model, kept beside its analysis under the model's content hash
 * ({@code <cache>/<sha256>/compress-session.json}), so reopening the model (renamed or copied too) brings them back.
 * Reading never fails: a missing, foreign or corrupt file is an empty session with a reason.
 */
public final class SessionStore {
    public static final String FORMAT = "rwkv-edge-compress-session/1", FILE = "compress-session.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    record Stored(String format, String sha256, String model, List<StoredPoint> points) {}

    record StoredPoint(JsonNode recipe, SizeReport size, Long fileBytes, Double top1Agreement, Double meanKl,
                       TaskScore taskScore, boolean dense) {}

    /** The points read, and why there are none when there are none. */
    public record Loaded(List<TradeOffPoint> points, String status) {}

    private final AnalysisCache cache;

    public SessionStore(AnalysisCache cache) {
        this.cache = cache;
    }

    public AnalysisCache cache() {
        return cache;
    }

    public Path file(String sha256) {
        return cache.entry(sha256).resolve(FILE);
    }

    public Loaded load(String sha256) {
        Path f = file(sha256);
        if (!Files.isRegularFile(f)) return new Loaded(List.of(), "no earlier session");
        try {
            Stored s = JSON.readValue(f.toFile(), Stored.class);
            if (!FORMAT.equals(s.format())) return new Loaded(List.of(), "session of another format (" + s.format() + ")");
            if (!sha256.equals(s.sha256())) return new Loaded(List.of(), "session of another model");
            List<TradeOffPoint> out = new ArrayList<>();
            for (StoredPoint p : s.points()) {
                Recipe r = Recipe.parse(JSON.writeValueAsString(p.recipe()), f.toString());
                out.add(new TradeOffPoint(r.toJson(), r, p.size(), p.fileBytes(), p.top1Agreement(), p.meanKl(),
                        p.taskScore(), p.dense()));
            }
            return new Loaded(out, out.size() + " points from an earlier session");
        } catch (IOException | RuntimeException e) {
            return new Loaded(List.of(), "unreadable session " + f + " (" + e.getMessage() + ")");
        }
    }

    /** Replaces the model's session with these points (atomically). */
    public void save(String sha256, String modelName, List<TradeOffPoint> points) throws IOException {
        Path f = file(sha256);
        Files.createDirectories(f.getParent());
        AtomicFiles.write(f, json(sha256, modelName, points));
    }

    /** The chart's data as JSON (the same shape as the stored session). */
    public static byte[] json(String sha256, String modelName, List<TradeOffPoint> points) throws IOException {
        List<StoredPoint> stored = new ArrayList<>();
        for (TradeOffPoint p : points) {
            stored.add(new StoredPoint(JSON.readTree(p.recipe().toJson()), p.size(), p.fileBytes(), p.top1Agreement(),
                    p.meanKl(), p.taskScore(), p.dense()));
        }
        return JSON.writeValueAsBytes(new Stored(FORMAT, sha256, modelName, stored));
    }
}
