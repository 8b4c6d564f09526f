package dev.rwkvedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rwkvedge.compress.Sweep;
import dev.rwkvedge.compress.SweepShards;
import dev.rwkvedge.model.SampleModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep cut into shards and merged again gives the CSV and JSON of the same sweep run in one piece. */
class SweepShardsTest {
    // decodeTokens 0: speed is the one measurement that differs between two runs, so it is left out (0 tok/s)
    private static final String GRID = """
            {"tasks": ["lastword", "agreement"], "limits": {"lastword": 12, "agreement": 48}, "decodeTokens": 0,
             "recipes": {"dense": {}, "int8": {"int8": {}},
                         "lowrank-svd-d4": {"lowRank": {"method": "svd", "rule": {"ratio": 0.25}}},
                         "embedding-cache-32": {"embedding": {"cacheRows": 32}}}}
            """;

    @Test
    void shardedAndMergedEqualsUnsharded(@TempDir Path dir) throws Exception {
        String model = SampleModel.locate().orElseThrow().toString();
        Path grid = Files.writeString(dir.resolve("grid.json"), GRID);
        Path wholeCsv = dir.resolve("whole.csv"), mergedCsv = dir.resolve("merged.csv");

        CommandLineTest.Run whole = CommandLineTest.run("sweep", model, "--grid", grid.toString(),
                "--csv", wholeCsv.toString(), "--json");
        assertEquals(0, whole.code(), whole.err());

        // the merge takes the shards in any order
        for (int i : new int[] {3, 1, 2}) {
            CommandLineTest.Run r = CommandLineTest.run("sweep", model, "--grid", grid.toString(),
                    "--shard", i + "/3", "--out", dir.resolve("s" + i + ".json").toString());
            assertEquals(0, r.code(), r.err());
        }
        SweepShards.ShardFile first = SweepShards.read(dir.resolve("s1.json"));
        assertEquals(List.of("dense", "embedding-cache-32"), first.rows().stream().map(Sweep.Row::name).toList(),
                "round robin: shard 1 of 3 holds the grid's 1st and 4th recipes");

        CommandLineTest.Run merged = CommandLineTest.run("sweep", model, "--grid", grid.toString(), "--merge",
                dir.resolve("s2.json").toString(), dir.resolve("s3.json").toString(), dir.resolve("s1.json").toString(),
                "--csv", mergedCsv.toString(), "--json");
        assertEquals(0, merged.code(), merged.err());
        // the merge itself is lossless: it prints exactly the rows the shards computed, in the grid's order
        List<Sweep.Row> fromShards = new java.util.ArrayList<>();
        for (int i = 1; i <= 3; i++) fromShards.addAll(SweepShards.read(dir.resolve("s" + i + ".json")).rows());
        JsonNode mergedRows = JSON.readTree(merged.out());
        for (JsonNode row : mergedRows) {
            Sweep.Row shardRow = fromShards.stream().filter(r -> r.name().equals(row.get("name").asText()))
                    .findFirst().orElseThrow();
            assertEquals(JSON.readTree(JSON.writeValueAsString(shardRow)), row, row.get("name").asText());
        }
        // against the unsharded run, separately computed: the same rows, numbers equal up to float rounding (the
        // engine's vector kernels may sum in another order once compiled, so runs agree to about 1e-7)
        assertSameRows(JSON.readTree(whole.out()), mergedRows, "JSON");
        List<String> a = Files.readAllLines(wholeCsv), b = Files.readAllLines(mergedCsv);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            String[] x = a.get(i).split(","), y = b.get(i).split(",");
            assertEquals(x.length, y.length);
            for (int k = 0; k < x.length; k++) {
                if (x[k].matches("-?[0-9.eE+-]+") && y[k].matches("-?[0-9.eE+-]+")) close(Double.parseDouble(x[k]),
                        Double.parseDouble(y[k]), "CSV line " + i);
                else assertEquals(x[k], y[k], "CSV line " + i);
            }
        }
        assertEquals(5, Files.readAllLines(mergedCsv).size(), "a header and four recipes");
        assertTrue(Files.readString(mergedCsv).contains("lastword.accuracy"), Files.readString(mergedCsv));
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static void close(double x, double y, String where) {
        assertEquals(x, y, 1e-5 * Math.max(1, Math.abs(x)), where);
    }

    private static void assertSameRows(JsonNode x, JsonNode y, String where) {
        if (x.isNumber() && y.isNumber()) {
            close(x.asDouble(), y.asDouble(), where);
        } else if (x.isContainerNode()) {
            assertEquals(x.size(), y.size(), where);
            List<String> names = new java.util.ArrayList<>();
            x.fieldNames().forEachRemaining(names::add);
            List<String> other = new java.util.ArrayList<>();
            y.fieldNames().forEachRemaining(other::add);
            assertEquals(names, other, where);
            if (x.isArray()) for (int i = 0; i < x.size(); i++) assertSameRows(x.get(i), y.get(i), where + "[" + i + "]");
            else for (String n : names) assertSameRows(x.get(n), y.get(n), where + "." + n);
        } else {
            assertEquals(x, y, where);
        }
    }

    @Test
    void anIncompleteOrForeignSetOfShardsIsOneLineError(@TempDir Path dir) throws Exception {
        String model = SampleModel.locate().orElseThrow().toString();
        Path grid = Files.writeString(dir.resolve("grid.json"), """
                {"tasks": ["agreement"], "limits": {"agreement": 8}, "decodeTokens": 0,
                 "recipes": {"dense": {}, "int8": {"int8": {}}}}
                """);
        Path s1 = dir.resolve("s1.json");
        assertEquals(0, CommandLineTest.run("sweep", model, "--grid", grid.toString(), "--shard", "1/2",
                "--out", s1.toString()).code());

        CommandLineTest.Run missing = CommandLineTest.run("sweep", model, "--grid", grid.toString(), "--merge", s1.toString());
        assertEquals(2, missing.code());
        assertEquals("error: --merge: shards [2] of 2 are missing", missing.err().strip());

        CommandLineTest.Run twice = CommandLineTest.run("sweep", model, "--grid", grid.toString(), "--merge",
                s1.toString(), s1.toString());
        assertEquals(2, twice.code());
        assertTrue(twice.err().strip().endsWith("shard 1 is also in " + s1), twice.err());

        Files.writeString(grid, Files.readString(grid).replace("8}", "9}"));
        CommandLineTest.Run changed = CommandLineTest.run("sweep", model, "--grid", grid.toString(), "--merge", s1.toString());
        assertEquals(2, changed.code());
        assertTrue(changed.err().contains("made from another grid"), changed.err());

        CommandLineTest.Run bad = CommandLineTest.run("sweep", model, "--grid", grid.toString(), "--shard", "3/2");
        assertEquals(2, bad.code());
        assertEquals("error: shard 3/2: expected I/N with 1 <= I <= N", bad.err().strip());
        assertEquals(1, bad.err().strip().lines().count());
    }
}
