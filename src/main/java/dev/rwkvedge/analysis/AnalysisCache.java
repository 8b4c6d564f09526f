package dev.rwkvedge.analysis;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rwkvedge.io.AtomicFiles;
import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.task.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Analyses kept on disk under the SHA-256 of the model file's content, so that reopening a model (even renamed or
 * copied) is instant: {@code <root>/<sha256>/spectra.json} (metadata, every matrix's shape and metrics) and
 * {@code spectra.bin} (the singular values, see {@link SpectraFile}). The root is
 * {@code ~/.cache/rwkv-edge-studio/analysis}, or {@code $RWKV_CACHE_DIR} when set.
 *
 * <p>Reading never fails: an entry of another model, of another {@link #VERSION}, or a truncated or corrupt file is a
 * miss with a reason, and the next {@link #store} replaces it. Both files are written atomically, values first, so
 * the index never points at values that are not complete.
 */
public final class AnalysisCache {
    /** Bump when what is computed or how changes: older entries are then recomputed. */
    public static final int VERSION = 1;
    static final String INDEX = "spectra.json", VALUES = "spectra.bin";
    /** One mapper for the index and the hash memo: each mapper builds its own (de)serializers on first use. */
    static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path root;

    /** What spectra.json holds. */
    record Index(int version, String sha256, String file, long fileBytes, boolean includesEmbeddings, long valuesCrc32,
                 List<Entry> matrices) {}

    record Entry(String name, int layer, int rows, int cols, Spectrum.Kind kind, Spectrum.Method method,
                 SpectrumMetrics metrics) {}

    /** The outcome of a lookup: the analysis when it was there, and why not otherwise. */
    public record Lookup(ModelSpectra spectra, String status) {
        public boolean hit() {
            return spectra != null;
        }
    }

    public AnalysisCache(Path root) {
        this.root = root.toAbsolutePath();
    }

    public static AnalysisCache atDefaultLocation() {
        return new AnalysisCache(defaultRoot());
    }

    public static Path defaultRoot() {
        String env = System.getenv("RWKV_CACHE_DIR");
        if (env != null && !env.isBlank()) return Path.of(env);
        return Path.of(System.getProperty("user.home"), ".cache", "rwkv-edge-studio", "analysis");
    }

    public Path root() {
        return root;
    }

    public Path entry(String sha256) {
        if (!sha256.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("not a SHA-256: " + sha256);
        return root.resolve(sha256);
    }

    /** The model file's content hash (memoised per path, size and modification time). */
    public String hash(Path modelFile, ProgressListener progress) throws IOException {
        return ContentHash.of(modelFile, root.resolve("hashes"), progress);
    }

    /** The cached spectra of the model with this hash; with {@code embeddings}, only an entry that has emb and head. */
    public Lookup lookup(String sha256, boolean embeddings) {
        Path dir = entry(sha256);
        if (!Files.isRegularFile(dir.resolve(INDEX))) return new Lookup(null, "not cached");
        try {
            Index idx = JSON.readValue(dir.resolve(INDEX).toFile(), Index.class);
            if (idx.version() != VERSION) return new Lookup(null, "cached by analysis version " + idx.version());
            if (!sha256.equals(idx.sha256())) return new Lookup(null, "cache entry of another model");
            if (embeddings && !idx.includesEmbeddings()) return new Lookup(null, "cached without emb and head");
            byte[] bin = Files.readAllBytes(dir.resolve(VALUES));
            List<float[]> values = SpectraFile.decode(bin, sha256);
            // both files are whole (atomic writes) but may come from two runs that raced
            if (SpectraFile.crc(bin, bin.length - 4) != idx.valuesCrc32()) {
                return new Lookup(null, "values file written by another run than the index");
            }
            if (values.size() != idx.matrices().size()) return new Lookup(null, "index and values disagree");
            List<AnalyzedMatrix> out = new ArrayList<>(values.size());
            for (int i = 0; i < values.size(); i++) {
                Entry e = idx.matrices().get(i);
                Spectrum s = new Spectrum(e.name(), e.layer(), e.rows(), e.cols(), e.kind(), e.method(), values.get(i));
                out.add(new AnalyzedMatrix(s, e.metrics()));
            }
            ModelSpectra spectra = new ModelSpectra(out, idx.includesEmbeddings());
            return new Lookup(embeddings ? spectra : spectra.withoutEmbeddings(), "hit");
        } catch (IOException | RuntimeException e) {
            return new Lookup(null, "unreadable cache entry (" + e.getMessage() + ")");
        }
    }

    /** Stores (or replaces) the spectra of the model with this hash. */
    public void store(String sha256, Path modelFile, ModelSpectra spectra) throws IOException {
        Path dir = entry(sha256);
        Files.createDirectories(dir);
        List<float[]> values = spectra.matrices().stream().map(m -> m.spectrum().values()).toList();
        byte[] bin = SpectraFile.encode(sha256, values);
        List<Entry> entries = spectra.matrices().stream().map(m -> {
            Spectrum s = m.spectrum();
            return new Entry(s.name(), s.layer(), s.rows(), s.cols(), s.kind(), s.method(), m.metrics());
        }).toList();
        Index idx = new Index(VERSION, sha256, modelFile.getFileName().toString(), Files.size(modelFile),
                spectra.includesEmbeddings(), SpectraFile.crc(bin, bin.length - 4), entries);
        AtomicFiles.write(dir.resolve(VALUES), bin);
        AtomicFiles.write(dir.resolve(INDEX), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(idx));
    }

    /** Spectra and where they came from. */
    public record Result(ModelSpectra spectra, String sha256, String cacheStatus, boolean fromCache) {}

    /**
     * The checkpoint's spectra from the cache, or computed on {@code threads} threads and stored. A checkpoint that
     * is not a file (a synthetic model) is always computed and never stored.
     *
     * @throws dev.rwkvedge.task.CancelledException when cancelled; nothing is stored then
     */
    public Result spectra(Checkpoint ck, boolean embeddings, int threads, ProgressListener progress) throws IOException {
        Path file = ck.path();
        if (file == null || "synthetic".equals(ck.format()) || !Files.isRegularFile(file)) {
            return new Result(SpectraAnalyzer.compute(ck, embeddings, threads, progress), null, "not a file", false);
        }
        String sha = hash(file, progress);
        Lookup hit = lookup(sha, embeddings);
        if (hit.hit()) return new Result(hit.spectra(), sha, "hit", true);
        Lookup blocks = embeddings ? lookup(sha, false) : hit;
        ModelSpectra computed = blocks.hit() ? addEmbeddings(ck, blocks.spectra(), threads, progress)
                : SpectraAnalyzer.compute(ck, embeddings, threads, progress);
        String status = "miss: " + hit.status() + (blocks.hit() ? " (blocks from the cache)" : "");
        try {
            store(sha, file, computed);
        } catch (IOException e) {
            status += "; not stored (" + e.getMessage() + ")";
        }
        return new Result(computed, sha, status, false);
    }

    /** Cached block spectra completed with emb and head, which are the slow part anyway. */
    private static ModelSpectra addEmbeddings(Checkpoint ck, ModelSpectra blocks, int threads, ProgressListener progress) {
        List<WeightMatrix> outer = WeightMatrices.of(ck, true).stream().filter(m -> m.layer() < 0).toList();
        List<AnalyzedMatrix> computed = SpectraAnalyzer.compute(outer, threads, progress);
        List<AnalyzedMatrix> all = new ArrayList<>();
        computed.stream().filter(m -> m.spectrum().name().startsWith("emb")).forEach(all::add);
        all.addAll(blocks.matrices());
        computed.stream().filter(m -> !m.spectrum().name().startsWith("emb")).forEach(all::add);
        return new ModelSpectra(all, true);
    }

    /** The spectra, computed now without touching any cache. */
    public static Result uncached(Checkpoint ck, boolean embeddings, int threads, ProgressListener progress) {
        return new Result(SpectraAnalyzer.compute(ck, embeddings, threads, progress), null, "disabled", false);
    }
}
