package dev.rwkvedge.compress.budget;

import dev.rwkvedge.compress.quant.MatrixQuantizer;
import dev.rwkvedge.compress.quant.Precision;
import dev.rwkvedge.compress.resident.RowPrecision;
import dev.rwkvedge.compress.sparse.SparseChannelMix;
import dev.rwkvedge.runtime.Block;
import dev.rwkvedge.runtime.DenseHead;
import dev.rwkvedge.runtime.DenseProjection;
import dev.rwkvedge.runtime.Int8Projection;
import dev.rwkvedge.runtime.LowRankProjection;
import dev.rwkvedge.runtime.Projection;
import dev.rwkvedge.runtime.RwkvModel;

/**
 * Resident bytes a precision option would save on a model as it stands: every dense block matrix (low-rank factors
 * too) in that precision (int8 where a 4-bit format needs whole 32-wide groups and the rows are not, as the
 * compressor falls back), float32 neuron bundles of a sparse channel mix in int8, and a bias-free dense head in int8 (the solver's precision options all carry the int8
 * section, which is what converts the head). int8 is measured by quantizing, so it follows the int8 format rather
 * than restating it; 4-bit by its block size, which is exact for ggml's formats.
 */
final class PrecisionSavings {
    private PrecisionSavings() {}

    static long of(RwkvModel model, Precision p) {
        long saved = 0;
        for (Block b : model.blocks()) {
            for (Projection q : b.timeMix().projections().values()) saved += of(q, p);
            for (Projection q : b.channelMix().projections().values()) saved += of(q, p);
            if (b.channelMix() instanceof SparseChannelMix sm && sm.precision() != RowPrecision.INT8) {
                // with a precision the compressor turns float32 neuron bundles int8 (Compressor), which shrinks the
                // neuron cache and its staging block to a quarter; measured on the converted mix, not restated
                saved += sm.residentBytes() - sm.toInt8().residentBytes();
            }
        }
        if (model.head() instanceof DenseHead(DenseProjection d) && !model.config().hasHeadBias()) {
            saved += of(d, Precision.INT8);
        }
        return saved;
    }

    private static long of(Projection q, Precision p) {
        if (q instanceof DenseProjection d) {
            if (p.grouped() && MatrixQuantizer.fits(p, d.inDim())) {
                return d.residentBytes() - p.dtype.byteSize((long) d.outDim() * d.inDim());
            }
            return d.residentBytes() - Int8Projection.quantize(d.toArray(), d.outDim(), d.inDim()).residentBytes();
        }
        if (q instanceof LowRankProjection lr) return of(lr.first(), p) + of(lr.second(), p);
        return 0;
    }
}
