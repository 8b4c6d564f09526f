package dev.rwkvedge.studio.views.compress.export;

import dev.rwkvedge.compress.CompressedModelFile;
import dev.rwkvedge.compress.DenseReconstruction;
import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.runtime.RwkvState;
import dev.rwkvedge.studio.session.CompressedModel;
import dev.rwkvedge.task.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes the chosen formats of a compressed model and checks each by reopening it: the reopened model and the one in
 * memory read the same probe tokens and their logits are compared.
 */
public final class ExportJob {
    /** Probe length: long enough that the recurrent state carries differences through several steps. */
    static final int PROBE_TOKENS = 24;
    /** Relative tolerance for reconstructions, whose multiplied-out matrices round differently from the factors. */
    static final double RECONSTRUCTION_TOLERANCE = 1e-3;

    private ExportJob() {}

    public static ExportSummary run(CompressedModel m, Path folder, String baseName, Set<ExportFormat> formats,
                                    ProgressListener progress) throws Exception {
        if (formats.isEmpty()) throw new IOException("choose at least one format to export");
        Files.createDirectories(folder);
        return m.withEngine(() -> {
            List<ExportSummary.Written> written = new ArrayList<>();
            int step = 0;
            for (ExportFormat f : ExportFormat.values()) {
                if (!formats.contains(f)) continue;
                progress.checkCancelled();
                Path dest = folder.resolve(baseName + f.suffix);
                progress.update(step++, 2L * formats.size(), "Writing " + dest.getFileName());
                if (f == ExportFormat.COMPRESSED) CompressedModelFile.write(dest, m.loaded(), m.recipe(), m.applied());
                else DenseReconstruction.write(dest, m.loaded());
                progress.update(step++, 2L * formats.size(), "Verifying " + dest.getFileName());
                written.add(verify(m, f, dest));
            }
            progress.update(step, step, "Exported");
            return new ExportSummary(written, m.size());
        });
    }

    private static ExportSummary.Written verify(CompressedModel m, ExportFormat f, Path dest) throws IOException {
        long bytes = Files.size(dest);
        try (LoadedModel reopened = LoadedModel.open(dest)) {
            RwkvModel mine = m.loaded().model();
            int[] probe = probe(mine.config().vocab());
            float[][] expected = logits(mine, probe);
            float[][] actual = logits(reopened.model(), probe);
            double diff = 0, scale = 0;
            for (int t = 0; t < probe.length; t++) {
                for (int k = 0; k < expected[t].length; k++) {
                    diff = Math.max(diff, Math.abs(expected[t][k] - actual[t][k]));
                    scale = Math.max(scale, Math.abs(expected[t][k]));
                }
            }
            String measured = String.format(Locale.ROOT, "largest logit difference %.3g over %d probe tokens", diff,
                    probe.length);
            if (f == ExportFormat.COMPRESSED) {
                return new ExportSummary.Written(f, dest, bytes, diff, diff == 0,
                        diff == 0 ? "reopened; logits identical to the model in memory" : "reopened, but " + measured);
            }
            if (m.recipe().sparseFfn() != null || m.recipe().head() != null) {
                return new ExportSummary.Written(f, dest, bytes, diff, true, "reopened; " + measured
                        + " (expected: a dense reconstruction runs every FFN neuron and the full head)");
            }
            boolean close = diff <= RECONSTRUCTION_TOLERANCE * Math.max(1, scale);
            return new ExportSummary.Written(f, dest, bytes, diff, close, "reopened; " + measured
                    + (close ? " (float rounding of the multiplied-out matrices)" : ", more than rounding explains"));
        }
    }

    /** Token ids spread over the vocabulary, the same for every run. */
    static int[] probe(int vocab) {
        int[] t = new int[PROBE_TOKENS];
        for (int i = 0; i < t.length; i++) t[i] = (int) ((1L + i * 7919L) % vocab);
        return t;
    }

    static float[][] logits(RwkvModel model, int[] tokens) {
        RwkvState st = model.newState();
        float[][] out = new float[tokens.length][];
        for (int i = 0; i < tokens.length; i++) out[i] = model.forward(tokens[i], st).clone();
        return out;
    }
}
