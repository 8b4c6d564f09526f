package dev.rwkvedge.compress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.rwkvedge.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sweep split over machines: shard I of N runs every N-th recipe of the grid (round robin, so that shards of a grid
 * ordered from cheap to expensive recipes take about the same time), writes its rows to a shard file, and a merge
 * puts the rows of all N shard files back into the grid's order, giving the rows one unsharded run gives.
 */
public final class SweepShards {
    /** Shard {@code index} (1-based, as Slurm array task ids are written here) of {@code count}. */
    public record Shard(int index, int count) {
        public Shard {
            if (count < 1 || index < 1 || index > count) {
                throw new IllegalArgumentException("shard " + index + "/" + count + ": expected I/N with 1 <= I <= N");
            }
        }

        private static final Pattern FORM = Pattern.compile("(\\d{1,6})/(\\d{1,6})");

        /** Parses "I/N". */
        public static Shard parse(String text) {
            Matcher m = FORM.matcher(text.strip());
            if (!m.matches()) throw new IllegalArgumentException("--shard " + text + ": expected I/N, e.g. 2/8");
            return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }

        /** Whether the grid's {@code position}-th recipe (0-based) belongs to this shard. */
        public boolean holds(int position) {
            return position % count == index - 1;
        }

        @Override
        public String toString() {
            return index + "/" + count;
        }
    }

    /** What one shard wrote: which grid (the SHA-256 of the grid file) on which model (its file name), the rows. */
    public record ShardFile(String gridSha256, String model, int index, int count, List<Sweep.Row> rows) {}

    /** Lossless for the rows: doubles are written in their shortest exact form, so a merged row equals the shard's. */
    static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private SweepShards() {}

    /** The part of the grid that a shard runs, in the grid's order. */
    public static Sweep.Grid slice(Sweep.Grid grid, Shard shard) {
        LinkedHashMap<String, Recipe> mine = new LinkedHashMap<>();
        int i = 0;
        for (var e : grid.recipes().entrySet()) if (shard.holds(i++)) mine.put(e.getKey(), e.getValue());
        return new Sweep.Grid(grid.tasks(), grid.limits(), mine, grid.decodeTokens());
    }

    /**
     * SHA-256 of the grid as it runs (tasks, limits, recipes, decode tokens), which names it in shard files: a grid
     * file edited since, or other narrowing options, give another name; reformatting the file does not.
     */
    public static String gridId(Sweep.Grid grid) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsBytes(grid)));
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void write(Path file, ShardFile shard) throws IOException {
        AtomicFiles.write(file, ch -> ch.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(shard))),
                written -> read(written));
    }

    public static ShardFile read(Path file) throws IOException {
        try {
            ShardFile s = JSON.readValue(Files.readAllBytes(file), ShardFile.class);
            if (s.gridSha256() == null || s.model() == null || s.rows() == null) {
                throw new IOException(file + ": not a sweep shard file (gridSha256, model or rows missing)");
            }
            return s;
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such shard file");
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": malformed shard file: " + e.getOriginalMessage());
        }
    }

    /**
     * The rows of all shards of one grid in the grid's order. Every shard 1..N must be present exactly once, all made
     * from this grid on the same model, and together hold each recipe once; otherwise one line says what is wrong.
     */
    public static List<Sweep.Row> merge(Sweep.Grid grid, String gridSha256, List<Path> files) throws IOException {
        if (files.isEmpty()) throw new IllegalArgumentException("--merge: no shard files given");
        Map<Integer, Path> seen = new HashMap<>();
        Map<String, Sweep.Row> rows = new HashMap<>();
        ShardFile first = null;
        for (Path f : files) {
            ShardFile s = read(f);
            if (!s.gridSha256().equals(gridSha256)) {
                throw new IOException(f + ": made from another grid (the grid file or --only/--limit changed since)");
            }
            if (first == null) first = s;
            if (s.count() != first.count() || !s.model().equals(first.model())) {
                throw new IOException(f + ": shard " + s.index() + "/" + s.count() + " of " + s.model()
                        + " does not belong with shard " + first.index() + "/" + first.count() + " of " + first.model());
            }
            Path other = seen.put(s.index(), f);
            if (other != null) throw new IOException(f + ": shard " + s.index() + " is also in " + other);
            Shard shard = new Shard(s.index(), s.count());
            List<String> expected = new ArrayList<>(slice(grid, shard).recipes().keySet());
            List<String> got = s.rows().stream().map(Sweep.Row::name).toList();
            if (!got.equals(expected)) {
                throw new IOException(f + ": shard " + shard + " holds " + got + ", the grid gives it " + expected);
            }
            for (Sweep.Row r : s.rows()) rows.put(r.name(), r);
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 1; i <= first.count(); i++) if (!seen.containsKey(i)) missing.add(i);
        if (!missing.isEmpty()) {
            throw new IOException("--merge: shards " + missing + " of " + first.count() + " are missing");
        }
        List<Sweep.Row> merged = new ArrayList<>();
        for (String name : grid.recipes().keySet()) merged.add(rows.get(name));
        return merged;
    }
}
