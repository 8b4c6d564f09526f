package dev.rwkvedge.compress.quant;

import java.util.Map;

/**
 * What quantization did: the precision each matrix got (low-rank factors as NAME_lr_a / NAME_lr_b), the matrices that
 * could not take the asked precision, and the calibration output error of plain rounding against what was kept.
 *
 * @param fallbacks      matrix -> why it got another precision than asked
 * @param roundingError  sum over matrices with a Gram matrix of the output error with plain rounding
 * @param keptError      the same for what was kept (error feedback where it helped)
 * @param signal         sum of the outputs' energy over those matrices, the scale of both errors
 * @param feedbackKept   matrices where error feedback lowered the error and was kept
 * @param feedbackTried  matrices where it was tried
 */
public record QuantReport(Map<String, Precision> precisions, Map<String, String> fallbacks, double roundingError,
                          double keptError, double signal, int feedbackKept, int feedbackTried) {
    public static final QuantReport NONE = new QuantReport(Map.of(), Map.of(), 0, 0, 0, 0, 0);

    /** Relative output error on the calibration text with plain rounding and with what was kept. */
    public double relativeRoundingError() {
        return signal > 0 ? roundingError / signal : Double.NaN;
    }

    public double relativeKeptError() {
        return signal > 0 ? keptError / signal : Double.NaN;
    }
}
