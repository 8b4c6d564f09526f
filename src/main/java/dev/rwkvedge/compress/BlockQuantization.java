package dev.rwkvedge.compress;

import dev.rwkvedge.analysis.ActivationStats;
import dev.rwkvedge.analysis.GramMatrix;
import dev.rwkvedge.compress.quant.MatrixQuantizer;
import dev.rwkvedge.compress.quant.Precision;
import dev.rwkvedge.compress.quant.QuantReport;
import dev.rwkvedge.runtime.DenseProjection;
import dev.rwkvedge.runtime.LowRankProjection;
import dev.rwkvedge.runtime.Projection;
import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.task.ProgressListener;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Stores every block matrix still in float (low-rank factors included) in the recipe's precision. A low-rank pair's
 * second factor sees the first factor's outputs, so its Gram matrix is W1 G W1^T with W1 as quantized.
 */
final class BlockQuantization {
    private final Recipe.Quantization recipe;
    private final ActivationStats stats;
    private final Map<String, Precision> precisions = new LinkedHashMap<>();
    private final Map<String, String> fallbacks = new LinkedHashMap<>();
    private double rounding, kept, signal;
    private int feedbackKept, feedbackTried;

    private BlockQuantization(Recipe.Quantization recipe, ActivationStats stats) {
        this.recipe = recipe;
        this.stats = stats;
    }

    static QuantReport apply(RwkvModel model, Recipe.Quantization recipe, ActivationStats stats, ProgressListener progress) {
        BlockQuantization q = new BlockQuantization(recipe, stats);
        int layers = model.blocks().size();
        for (int l = 0; l < layers; l++) {
            progress.checkCancelled();
            progress.update(l, layers, "quantizing block " + l);
            for (var e : Compressor.allProjections(model.blocks().get(l)).entrySet()) {
                String full = "blocks." + l + "." + e.getKey();
                Precision p = recipe.of(full);
                if (p == Precision.FP32) continue;
                Projection sub = switch (e.getValue()) {
                    case DenseProjection d -> q.matrix(full, d, p, gram(stats, l, e.getKey()));
                    case LowRankProjection lr when lr.first() instanceof DenseProjection a
                            && lr.second() instanceof DenseProjection b -> q.pair(full, a, b, p, gram(stats, l, e.getKey()));
                    default -> null;
                };
                if (sub != null) Compressor.replace(model, full, sub);
            }
        }
        progress.update(layers, layers, "quantized");
        return new QuantReport(Collections.unmodifiableMap(q.precisions), Collections.unmodifiableMap(q.fallbacks), q.rounding, q.kept, q.signal,
                q.feedbackKept, q.feedbackTried);
    }

    private static double[] gram(ActivationStats stats, int layer, String name) {
        if (stats == null) return null;
        GramMatrix g = stats.gram(layer, name);
        return g == null ? null : g.toArray();
    }

    private LowRankProjection pair(String full, DenseProjection a, DenseProjection b, Precision p, double[] gram) {
        Projection first = matrix(full + "_lr_a", a, p, gram);
        double[] mid = null;
        if (gram != null) {
            int r = first.outDim(), in = first.inDim();
            DMatrixRMaj w1 = new DMatrixRMaj(r, in), t = new DMatrixRMaj(r, in), g2 = new DMatrixRMaj(r, r);
            float[] w = first.toArray();
            for (int i = 0; i < w.length; i++) w1.data[i] = w[i];
            CommonOps_DDRM.mult(w1, new DMatrixRMaj(in, in, true, gram), t);
            CommonOps_DDRM.multTransB(t, w1, g2);
            mid = g2.data;
        }
        return new LowRankProjection(first, matrix(full + "_lr_b", b, p, mid));
    }

    private Projection matrix(String name, DenseProjection d, Precision asked, double[] gram) {
        Precision p = asked;
        if (!MatrixQuantizer.fits(p, d.inDim())) {
            p = Precision.INT8;
            fallbacks.put(name, asked.label() + " needs rows of whole 32-wide groups, this one has " + d.inDim()
                    + " columns: int8");
        }
        MatrixQuantizer.Result r = MatrixQuantizer.quantize(name, d.toArray(), d.outDim(), d.inDim(), p, gram,
                recipe.feedback());
        precisions.put(name, p);
        if (gram != null && r.signal() > 0) {
            rounding += r.roundingError();
            kept += Math.min(r.roundingError(), Double.isNaN(r.feedbackError()) ? r.roundingError() : r.feedbackError());
            signal += r.signal();
            if (!Double.isNaN(r.feedbackError())) {
                feedbackTried++;
                if (r.feedbackKept()) feedbackKept++;
            }
        }
        return r.projection();
    }
}
