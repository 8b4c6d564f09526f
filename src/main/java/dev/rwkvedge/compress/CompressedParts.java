package dev.rwkvedge.compress;

import dev.rwkvedge.compress.embedding.CachedEmbedding;
import dev.rwkvedge.compress.embedding.EmbeddingCacheSettings;
import dev.rwkvedge.compress.head.ClusterIndex;
import dev.rwkvedge.compress.head.ClusteredHead;
import dev.rwkvedge.compress.head.Router;
import dev.rwkvedge.compress.head.Selection;
import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.io.ModelFormatException;
import dev.rwkvedge.model.PartRestorer;
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
    }

    @Override
    public void restore(Checkpoint ck, RwkvModel model) throws ModelFormatException {
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

    private static int[] clusterOf(Checkpoint ck, float[] tokens, int K) throws ModelFormatException {
        float[] starts = ck.require(STARTS).toFloats();
        if (starts.length != K + 1) throw new ModelFormatException(ck.path(), STARTS + " must have " + (K + 1) + " entries");
        int[] of = new int[tokens.length];
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
