package dev.rwkvedge.compress.head;

import dev.rwkvedge.runtime.DenseHead;
import dev.rwkvedge.runtime.DenseProjection;
import dev.rwkvedge.runtime.Embedding;
import dev.rwkvedge.runtime.Head;
import dev.rwkvedge.runtime.Parallel;

/** The V x C weights of a head (row-major, token order) and its output bias (null when it has none). */
public record HeadRows(float[] rows, float[] bias, int vocab, int dim) {

    /**
     * A dense float32 head gives its rows exactly. Any other head (an int8 one, say) is probed with the unit vectors:
     * logits(e_d) - logits(0) is column d, exact up to the rounding of adding and removing the bias.
     */
    public static HeadRows of(Head head, int dim) {
        int V = head.vocab();
        float[] bias = new float[V];
        head.logits(new float[dim], 1, bias, Parallel.serial());
        if (head instanceof DenseHead(DenseProjection p)) return new HeadRows(p.toArray(), nullIfZero(bias), V, dim);
        float[] eye = new float[dim * dim];
        for (int d = 0; d < dim; d++) eye[d * dim + d] = 1;
        float[] cols = new float[dim * V];
        head.logits(eye, dim, cols, Parallel.serial());
        float[] rows = new float[V * dim];
        for (int d = 0; d < dim; d++) {
            for (int v = 0; v < V; v++) rows[v * dim + d] = cols[d * V + v] - bias[v];
        }
        return new HeadRows(rows, nullIfZero(bias), V, dim);
    }

    /** The embedding table as rows (the paper clusters these, after PCA). */
    public static float[] embeddingRows(Embedding e) {
        float[] rows = new float[e.vocab() * e.dim()];
        for (int v = 0; v < e.vocab(); v++) e.row(v, rows, v * e.dim());
        return rows;
    }

    private static float[] nullIfZero(float[] bias) {
        for (float b : bias) if (b != 0) return bias;
        return null;
    }
}
