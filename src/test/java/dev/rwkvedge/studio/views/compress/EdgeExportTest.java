package dev.rwkvedge.studio.views.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.model.SampleModel;
import dev.rwkvedge.studio.session.OpenModel;
import dev.rwkvedge.studio.views.compress.export.ExportFormat;
import dev.rwkvedge.studio.views.compress.export.ExportJob;
import dev.rwkvedge.studio.views.compress.export.ExportSummary;
import dev.rwkvedge.task.ProgressListener;
import dev.rwkvedge.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample model under the shipped edge recipe: the file Export writes is the size the card said before it was
 * written, and smaller than the dense model would be in fp16 (its tensors' elements counted from the checkpoint, two
 * bytes each).
 */
class EdgeExportTest {
    @TempDir
    Path out;

    @Test
    void theEdgeFileIsWhatTheCardSaidAndSmallerThanDenseFp16() throws Exception {
        Path file = SampleModel.dataFolder().getParent().resolve("rwkv7-kjv-5m.pth");
        Recipe edge = Recipe.read(Path.of("recipes/edge.json"));
        try (OpenModel dense = OpenModel.load(file, ProgressListener.NONE);
             CompressionBench bench = new CompressionBench(dense, CompressData.sample())) {
            long denseFp16 = 0;
            for (Tensor t : dense.loaded().checkpoint().tensors().values()) denseFp16 += 2 * t.numel();

            CompressionBench.Build b = bench.build(edge, ProgressListener.NONE);
            try {
                long card = bench.fileBytes(b.model(), ProgressListener.NONE);
                ExportSummary s = ExportJob.run(b.model(), out, "edge", Set.of(ExportFormat.COMPRESSED),
                        ProgressListener.NONE);
                ExportSummary.Written w = s.files().getFirst();
                assertTrue(w.verified(), w.toString());
                assertEquals(Files.size(w.path()), card, "the card's file size is the written file's");
                assertEquals(Files.size(w.path()), w.bytes());
                assertTrue(card < denseFp16, "edge file " + card + " bytes, dense fp16 " + denseFp16 + " bytes");
                // the card's baseline is the same dense fp16 figure the check used
                assertEquals(denseFp16, b.point().size().baselineFp16Bytes());
            } finally {
                b.model().close();
            }
        }
    }
}
