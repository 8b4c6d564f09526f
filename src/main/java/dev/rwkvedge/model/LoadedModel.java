package dev.rwkvedge.model;

import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.io.Checkpoints;
import dev.rwkvedge.runtime.RwkvModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

/** A model file opened and built: the checkpoint (kept open, its mapping backs the weights) and the runnable model. */
public record LoadedModel(Checkpoint checkpoint, ModelConfig config, RwkvModel model) implements AutoCloseable {

    public static LoadedModel open(Path file) throws IOException {
        return open(file, null);
    }

    /** @param groupNormEps overrides the file's ln_x epsilon when not null */
    public static LoadedModel open(Path file, Float groupNormEps) throws IOException {
        return of(Checkpoints.open(file), groupNormEps);
    }

    /** Builds the model of an open checkpoint; closes it if that fails. */
    public static LoadedModel of(Checkpoint ck, Float groupNormEps) throws IOException {
        try {
            ModelConfig cfg = ConfigDetector.detect(ck);
            if (groupNormEps != null) cfg = cfg.withGroupNormEps(groupNormEps);
            // one instance each for both calls: what beforeLoad replaced, restore may still have to release
            List<PartRestorer> restorers = ServiceLoader.load(PartRestorer.class).stream()
                    .map(ServiceLoader.Provider::get).toList();
            for (PartRestorer r : restorers) ck = r.beforeLoad(ck);
            RwkvModel model = ModelLoader.load(ck, cfg);
            for (PartRestorer r : restorers) r.restore(ck, model);
            model.setLogitsCheck(new FiniteLogits(ck));
            return new LoadedModel(ck, cfg, model);
        } catch (IOException | RuntimeException e) {
            ck.close();
            throw e;
        }
    }

    public Path path() {
        return checkpoint.path();
    }

    @Override
    public void close() {
        checkpoint.close();
    }
}
