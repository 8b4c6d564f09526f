package dev.rwkvedge.compress.budget;

import dev.rwkvedge.runtime.Block;
import dev.rwkvedge.runtime.DenseChannelMix;
import dev.rwkvedge.runtime.DenseHead;
import dev.rwkvedge.runtime.DenseProjection;
import dev.rwkvedge.runtime.Int8Projection;
import dev.rwkvedge.runtime.LowRankProjection;
import dev.rwkvedge.runtime.Projection;
import dev.rwkvedge.runtime.RwkvModel;

/**
 * Resident bytes the recipe's int8 section would save on a model as it stands: every dense block matrix (low-rank
 * factors too) and a bias-free dense head, as the compressor converts them. Measured by quantizing, so it follows
 * the int8 format rather than restating it.
 */
final class Int8Savings {
    private Int8Savings() {}

    static long of(RwkvModel model) {
        long saved = 0;
        for (Block b : model.blocks()) {
            for (Projection p : b.timeMix().projections().values()) saved += of(p);
            if (b.channelMix() instanceof DenseChannelMix cm) {
                for (Projection p : cm.projections().values()) saved += of(p);
            }
        }
        if (model.head() instanceof DenseHead(DenseProjection d) && !model.config().hasHeadBias()) saved += of(d);
        return saved;
    }

    private static long of(Projection p) {
        if (p instanceof DenseProjection d) {
            return d.residentBytes() - Int8Projection.quantize(d.toArray(), d.outDim(), d.inDim()).residentBytes();
        }
        if (p instanceof LowRankProjection lr) return of(lr.first()) + of(lr.second());
        return 0;
    }
}
