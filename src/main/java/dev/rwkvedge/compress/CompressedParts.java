package dev.rwkvedge.compress;

import dev.rwkvedge.compress.embedding.CachedEmbedding;
import dev.rwkvedge.compress.embedding.EmbeddingCacheSettings;
import dev.rwkvedge.compress.head.ClusterIndex;
import dev.rwkvedge.compress.head.ClusteredHead;
import dev.rwkvedge.compress.head.Router;
import dev.rwkvedge.compress.head.Selection;
import dev.rwkvedge.compress.sparse.EnsemblePredictor;
import dev.rwkvedge.compress.sparse.MlpPredictor;
import dev.rwkvedge.compress.sparse.OneBitPredictor;
import dev.rwkvedge.compress.sparse.SparseChannelMix;
import dev.rwkvedge.compress.sparse.SparseChannelMixBuilder;
import dev.rwkvedge.compress.sparse.SparsityPredictor;
import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.io.ModelFormatException;
import dev.rwkvedge.model.PartRestorer;
import dev.rwkvedge.runtime.DenseChannelMix;
import dev.rwkvedge.runtime.Projection;
import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Tensor;
import java.util.Map;

/**
 * How the clustered head and the embedding cache are stored in a compressed file, both ways. The head keeps its
 * rows under head.weight, but in cluster order, so that one cluster is one contiguous read of the mapped file.
 */
public final class CompressedParts implements PartRestorer {
    static final String TOKENS = "head.cluster_tokens", ROUTER_W = "head.router.weight", ROUTER_B = "head.router.bias";
    static final String SPARSE = "rwkv_edge.sparse_ffn.";
    static final String SELECTION = "rwkv_edge.head_selection", CACHE_ROWS = "rwkv_edge.embedding_cache_rows";

    static void export(RwkvModel model, Map<String, Tensor> out, Map<String, String> meta) {
        if (model.head() instanceof ClusteredHead h) {
            int V = h.vocab(), C = h.router().dim();
            out.put("head.weight", new Tensor("head.weight", DType.F32, new long[] {V, C}, h.rows()));
            float[] tokens = new float[V];
            int[] order = h.index().tokens();
            for (int i = 0; i < V; i++) tokens[i] = order[i];
            out.put(TOKENS, Tensor.ofFloats(TOKENS, tokens, V));
            int[] st = h.index().starts();
            float[] starts = new float[st.length];
            for (int i = 0; i < st.length; i++) starts[i] = st[i];
            out.put(STARTS, Tensor.ofFloats(STARTS, starts, st.length));
            out.put(ROUTER_W, Tensor.ofFloats(ROUTER_W, h.router().weight(), h.router().clusters(), C));
            out.put(ROUTER_B, Tensor.ofFloats(ROUTER_B, h.router().bias(), h.router().clusters()));
            Selection s = h.selection();
            meta.put(SELECTION, s.coverage() + "," + s.minClusters() + "," + s.maxClusters() + ","
                    + (Double.isNaN(h.rowsPerToken()) ? "NaN" : Double.toString(h.rowsPerToken())));
        }
        if (model.embedding() instanceof CachedEmbedding e) meta.put(CACHE_ROWS, Integer.toString(e.capacity()));
        for (int l = 0; l < model.blocks().size(); l++) {
            if (model.blocks().get(l).channelMix() instanceof SparseChannelMix s) exportPredictor(l, s.predictor(), out, meta);
        }
    }

    /** Metadata "kind,threshold,width,p" per layer; MLP weights as tensors. The 1-bit copy is rebuilt from K. */
    private static void exportPredictor(int l, SparsityPredictor p, Map<String, Tensor> out, Map<String, String> meta) {
        MlpPredictor mlp = p instanceof EnsemblePredictor e ? e.mlp() : p instanceof MlpPredictor m ? m : null;
        OneBitPredictor oneBit = p instanceof EnsemblePredictor e ? e.oneBit() : p instanceof OneBitPredictor o ? o : null;
        String kind = mlp != null && oneBit != null ? "both" : mlp != null ? "mlp" : "1bit";
        meta.put(SPARSE + l, kind + "," + (mlp != null ? mlp.threshold() : 0) + "," + (mlp != null ? mlp.width() : 0)
                + "," + (oneBit != null ? oneBit.sparsity() : 0));
        if (mlp != null) {
            String b = "blocks." + l + ".ffn.predictor.";
            out.put(b + "w1", Tensor.ofFloats(b + "w1", mlp.firstLayer(), mlp.width(), mlp.inputs()));
            out.put(b + "w2t", Tensor.ofFloats(b + "w2t", mlp.secondLayerTransposed(), mlp.width(), mlp.neurons()));
        }
    }

    @Override
    public void restore(Checkpoint ck, RwkvModel model) throws ModelFormatException {
        for (int l = 0; l < model.blocks().size(); l++) {
            String spec = ck.metadata().get(SPARSE + l);
            if (spec != null) model.blocks().get(l).setChannelMix(sparse(ck, model, l, spec));
        }
        if (ck.find(TOKENS).isPresent()) model.setHead(head(ck, model));
        String rows = ck.metadata().get(CACHE_ROWS);
        if (rows != null) {
            try {
                CachedEmbedding.install(model, new EmbeddingCacheSettings(Integer.parseInt(rows)));
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(ck.path(), "metadata " + CACHE_ROWS + " is not a row count: " + rows);
            }
        }
    }

    private static SparseChannelMix sparse(Checkpoint ck, RwkvModel model, int l, String spec) throws ModelFormatException {
        String[] f = spec.split(",");
        if (f.length != 4 || !(model.blocks().get(l).channelMix() instanceof DenseChannelMix dense)) {
            throw new ModelFormatException(ck.path(), "metadata " + SPARSE + l + " is malformed: " + spec);
        }
        try {
            Projection key = dense.projections().get("ffn.key");
            int C = key.inDim(), F = key.outDim();
            MlpPredictor mlp = null;
            OneBitPredictor oneBit = null;
            if (!f[0].equals("1bit")) {
                String b = "blocks." + l + ".ffn.predictor.";
                int width = Integer.parseInt(f[2]);
                mlp = new MlpPredictor(C, width, F, ck.require(b + "w1").toFloats(), ck.require(b + "w2t").toFloats(),
                        Double.parseDouble(f[1]));
            }
            if (!f[0].equals("mlp")) oneBit = SparseChannelMixBuilder.oneBit(dense, Double.parseDouble(f[3]));
            SparsityPredictor p = mlp != null && oneBit != null ? new EnsemblePredictor(mlp, oneBit) : mlp != null ? mlp : oneBit;
            return SparseChannelMixBuilder.fromDense(dense, p);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(ck.path(), "sparse channel mix of layer " + l + ": " + e.getMessage());
        }
    }

    private static ClusteredHead head(Checkpoint ck, RwkvModel model) throws ModelFormatException {
        Tensor rows = ck.require("head.weight");
        Tensor w = ck.require(ROUTER_W), b = ck.require(ROUTER_B);
        float[] tok = ck.require(TOKENS).toFloats();
        int V = tok.length, C = model.config().embd();
        if (rows.dtype() != DType.F32 || rows.numel() != (long) V * C || w.rank() != 2 || w.shape()[1] != C
                || b.numel() != w.shape()[0]) {
            throw new ModelFormatException(ck.path(), "clustered head tensors do not fit together: head.weight "
                    + rows.shapeString() + ", router " + w.shapeString() + ", " + V + " cluster tokens");
        }
        String[] sel = ck.metadata().getOrDefault(SELECTION, "").split(",");
        if (sel.length != 4) throw new ModelFormatException(ck.path(), "metadata " + SELECTION + " is missing or malformed");
        int K = (int) w.shape()[0];
        int[] clusterOf = clusterOf(ck, tok, K);
        try {
            Router router = new Router(w.toFloats(), b.toFloats(), K, C);
            ClusterIndex index = ClusterIndex.of(clusterOf, K);
            Selection s = new Selection(Double.parseDouble(sel[0]), Integer.parseInt(sel[1]), Integer.parseInt(sel[2]));
            return new ClusteredHead(router, index, rows.data(), null, s, Double.parseDouble(sel[3]));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(ck.path(), "clustered head: " + e.getMessage());
        }
    }

    static final String STARTS = "head.cluster_starts";

    static int[] clusterOf(Checkpoint ck, float[] tokens, int K) throws ModelFormatException {
        float[] starts = ck.require(STARTS).toFloats();
        if (starts.length != K + 1) throw new ModelFormatException(ck.path(), STARTS + " must have " + (K + 1) + " entries");
        int[] of = new int[tokens.length];
        for (int c = 0; c <= K; c++) {
            // each cluster is the token range [starts[c], starts[c+1]): ranges in order, inside the token list
            float lo = c == 0 ? 0 : starts[c - 1];
            if (!(starts[c] >= lo && starts[c] <= tokens.length) || starts[c] != (int) starts[c]) {
                throw new ModelFormatException(ck.path(), STARTS + " entry " + c + " is " + starts[c] + ", outside " + lo + ".." + tokens.length);
            }
        }
        for (int c = 0; c < K; c++) {
            for (int i = (int) starts[c]; i < (int) starts[c + 1]; i++) {
                int t = (int) tokens[i];
                if (t < 0 || t >= tokens.length) throw new ModelFormatException(ck.path(), TOKENS + " holds token " + t);
                of[t] = c;
            }
        }
        return of;
    }
}
