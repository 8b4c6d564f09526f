package dev.rwkvedge.compress.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rwkvedge.Reference;
import dev.rwkvedge.compress.resident.RowPrecision;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.runtime.Head;
import dev.rwkvedge.runtime.Parallel;
import dev.rwkvedge.task.CancelledException;
import dev.rwkvedge.task.ProgressListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The whole build on the tiny trained byte-level models (V = 256, C = 64) with text read from the reference notes. */
class ClusteredHeadBuilderTest {
    static final String V7 = "rwkv.cpp/tests/tiny-rwkv-7v0-834K-FP32.bin";
    static final String V5 = "rwkv.cpp/tests/tiny-rwkv-5v2-730K-FP32.bin";

    /** Byte tokens of the reference README: [0, 700) to calibrate, [700, 900) held out. */
    static int[] text(int from, int to) throws Exception {
        byte[] b = Files.readAllBytes(Reference.file("README.md"));
        byte[] s = Arrays.copyOfRange(b, from, to);
        int[] t = new int[s.length];
        for (int i = 0; i < s.length; i++) t[i] = s[i] & 0xff;
        return t;
    }

    static ClusteredHeadSettings small() {
        return new ClusteredHeadSettings(16, 0.95, 2, 16, 0, ClusterSpace.HEAD, 1, 50, 4, 32, 1e-2, 0, 64, null);
    }

    @Test
    void routerTrainingLowersTheKlOnRecordedInputs() throws Exception {
        try (LoadedModel m = LoadedModel.open(Reference.file(V7))) {
            Head dense = m.model().head();
            ClusteredHeadResult r = new ClusteredHeadBuilder(small()).build(m.model(), text(0, 700), text(700, 900),
                    ProgressListener.NONE);
            RouterTraining t = r.training();
            System.out.printf("7v0 K=16 head rows: train KL %.4f -> %.4f, validation KL %.4f -> %.4f; %s%n",
                    t.initialTrainKl(), t.finalTrainKl(), t.initialValidationKl(), t.finalValidationKl(), r.report());
            assertTrue(t.finalTrainKl() < 0.5 * t.initialTrainKl(), "train KL fell too little");
            assertTrue(t.finalValidationKl() < t.initialValidationKl(), "validation KL did not fall");
            assertEquals(200, r.report().positions());
            assertTrue(r.report().top1Agreement() > 0.9, "top-1 agreement " + r.report().top1Agreement());
            assertTrue(r.report().meanRowsPerToken() < 256);
            assertSame(dense, m.model().head(), "the builder leaves the dense head in place");
            r.install(m.model());
            assertSame(r.head(), m.model().head());
            r.restore(m.model());
            assertSame(dense, m.model().head());
        }
    }

    @Test
    void fullCoverageAgreesEverywhereThroughTheModel() throws Exception {
        try (LoadedModel m = LoadedModel.open(Reference.file(V5))) {
            // embedding rows after PCA to 16 dimensions: any clustering must give the dense logits at full coverage
            ClusteredHeadSettings s = new ClusteredHeadSettings(16, 1.0, 1, 16, 16, ClusterSpace.EMBEDDING, 1, 50, 1, 32,
                    1e-2, 0, 0, RowPrecision.F32);
            int[] heldOut = text(700, 850);
            ClusteredHeadResult r = new ClusteredHeadBuilder(s).build(m.model(), text(0, 300), heldOut,
                    ProgressListener.NONE);
            assertEquals(1.0, r.report().top1Agreement());
            assertEquals(0.0, r.report().meanKl(), 1e-9);
            float[] dense = m.model().forwardSequence(heldOut, m.model().newState(), true);
            r.install(m.model());
            float[] clustered = m.model().forwardSequence(heldOut, m.model().newState(), true);
            r.restore(m.model());
            // the dense head's cached copy sums each row in its own order, the clustered head in the stored
            // matrix's: equal to rounding (a wrong row would be off by whole units)
            assertEquals(0f, Reference.maxAbsDiff(dense, 0, clustered, 0, dense.length), 1e-5f);
        }
    }

    @Test
    void eachSpaceAndTheDefaultsGiveAWorkingHead() throws Exception {
        try (LoadedModel m = LoadedModel.open(Reference.file(V7))) {
            for (ClusterSpace space : ClusterSpace.values()) {
                ClusteredHeadResult r = new ClusteredHeadBuilder(small().withSpace(space).withSelection(Selection.PAPER))
                        .build(m.model(), text(0, 700), text(700, 900), ProgressListener.NONE);
                System.out.printf("7v0 K=16 %s rows, paper selection: %s, resident %d B (64-row int8 cache), loaded %d B%n", space,
                        r.report(), r.head().residentBytes(), r.head().memory().residentIfLoaded());
                assertTrue(r.report().top1Agreement() > 0.8, space + ": " + r.report());
                assertTrue(r.head().residentBytes() < r.head().memory().residentIfLoaded());
            }
        }
    }

    @Test
    void cancellationStopsTheBuildAndRestoresTheHead() throws Exception {
        try (LoadedModel m = LoadedModel.open(Reference.file(V7))) {
            Head dense = m.model().head();
            ProgressListener cancelInRecording = new ProgressListener() {
                volatile boolean cancelled;

                @Override
                public void update(long done, long total, String message) {
                    if (message.startsWith("calibration text")) cancelled = true;
                }

                @Override
                public boolean isCancelled() {
                    return cancelled;
                }
            };
            assertThrows(CancelledException.class, () -> new ClusteredHeadBuilder(small()).build(m.model(),
                    text(0, 700), null, cancelInRecording));
            assertSame(dense, m.model().head());
        }
    }

    @Test
    void trainingIsReproducible() throws Exception {
        try (LoadedModel m = LoadedModel.open(Reference.file(V7))) {
            ClusterIndex index = ClusterIndex.of(new KMeans(8, 30, 3).fit(HeadRows.of(m.model().head(), 64).rows(), 256,
                    64, Parallel.serial(), ProgressListener.NONE).assignment(), 8);
            HeadSamples all = ClusteredHeadBuilder.record(m.model(), index, text(0, 450), ProgressListener.NONE);
            HeadRows rows = HeadRows.of(m.model().head(), 64);
            Router start = RouterTrainer.initial(rows.rows(), null, index, 64);
            RouterTrainer trainer = new RouterTrainer(2, 16, 1e-2, 9);
            RouterTraining a = trainer.train(start, all.slice(0, 350), all.slice(350, 450), new Parallel(2),
                    ProgressListener.NONE);
            RouterTraining b = trainer.train(start, all.slice(0, 350), all.slice(350, 450), Parallel.serial(),
                    ProgressListener.NONE);
            assertEquals(a.finalValidationKl(), b.finalValidationKl());
            assertTrue(Arrays.equals(a.router().weight(), b.router().weight()));
        }
    }

    @Test
    void settingsReadFromARecipeFillTheRestWithThePapersValues() throws Exception {
        ClusteredHeadSettings s = new ObjectMapper().readValue(
                "{\"clusters\": 64, \"coverage\": 0.9, \"space\": \"head\", \"pcaDims\": -1}", ClusteredHeadSettings.class);
        assertEquals(64, s.clusters());
        assertEquals(new Selection(0.9, 3, 100), s.selection());
        assertEquals(ClusterSpace.HEAD, s.space());
        assertEquals(-1, s.pcaDims());
        assertEquals(ClusteredHeadSettings.paper().withClusters(64).withSelection(new Selection(0.9, 3, 100))
                .withSpace(ClusterSpace.HEAD).epochs(), s.epochs());
        String json = new ObjectMapper().writeValueAsString(s);
        assertEquals(s, new ObjectMapper().readValue(json, ClusteredHeadSettings.class));
    }
}
