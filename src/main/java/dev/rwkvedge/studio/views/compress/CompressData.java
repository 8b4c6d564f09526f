package dev.rwkvedge.studio.views.compress;

import dev.rwkvedge.compress.Calibration;
import dev.rwkvedge.model.SampleModel;
import java.nio.file.Path;

/**
 * The text the compress view works with: calibration text for the techniques that learn from activations, held-out
 * text for the quick agreement proxy, and last-word items for the task score. The sample model's data by default.
 *
 * @param agreementTokens held-out tokens the quick proxy compares on (the dense pass over them is kept in memory)
 * @param taskItems       last-word items the task score uses by default (0: all of them)
 */
public record CompressData(Path calibration, Path heldOut, Path lastWord, int calibrationTokens, int agreementTokens,
                           int taskItems) {

    public static CompressData sample() {
        Path d = SampleModel.dataFolder();
        return new CompressData(Calibration.defaultFile(), d.resolve("heldout.txt"), d.resolve("lastword.jsonl"),
                Calibration.DEFAULT_TOKENS, 512, 0);
    }
}
