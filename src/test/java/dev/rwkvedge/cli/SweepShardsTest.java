package dev.rwkvedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.compress.Sweep;
import dev.rwkvedge.compress.SweepShards;
import dev.rwkvedge.model.SampleModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep cut into shards and merged again gives exactly the CSV and JSON of the same sweep run in one piece. */
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
        assertEquals(whole.out(), merged.out(), "the JSON rows");
        assertEquals(Files.readString(wholeCsv), Files.readString(mergedCsv), "the CSV");
        assertEquals(5, Files.readAllLines(mergedCsv).size(), "a header and four recipes");
        assertTrue(Files.readString(mergedCsv).contains("lastword.accuracy"), Files.readString(mergedCsv));
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
