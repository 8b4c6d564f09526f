package dev.rwkvedge.compress;

import dev.rwkvedge.compress.embedding.CachedEmbedding;
import dev.rwkvedge.compress.head.ClusterIndex;
import dev.rwkvedge.compress.head.ClusteredHead;
import dev.rwkvedge.compress.head.Router;
import dev.rwkvedge.compress.head.Selection;
import dev.rwkvedge.compress.head.TailLogits;
import dev.rwkvedge.compress.resident.FileRecords;
import dev.rwkvedge.compress.resident.NativeMatrices;
import dev.rwkvedge.compress.resident.RowPrecision;
import dev.rwkvedge.compress.resident.RowTable;
import dev.rwkvedge.compress.resident.TensorOffsets;
import dev.rwkvedge.compress.sparse.EnsemblePredictor;
import dev.rwkvedge.compress.sparse.MlpPredictor;
import dev.rwkvedge.compress.sparse.OneBitPredictor;
import dev.rwkvedge.compress.sparse.SparseChannelMix;
import dev.rwkvedge.compress.sparse.SparseChannelMixBuilder;
import dev.rwkvedge.compress.sparse.SparsityPredictor;
import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.io.ModelFormatException;
import dev.rwkvedge.model.PartRestorer;
import dev.rwkvedge.runtime.ChannelMix;
import dev.rwkvedge.runtime.Projection;
import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the parts read on demand are stored in a compressed file, both ways: the clustered head's rows (under
 * head.weight, in cluster order, so one cluster is one contiguous read), the embedding rows (under emb.weight), and
 * each sparse layer's neuron bundles (K row and V column of a neuron, one record each) in float32 or int8 with
 * their scales. At load they are not mapped but read by position through bounded caches; the small tensors they need
 * (router, scales, predictors) are read by position too, so no page of the mapping is touched on their account.
 */
public final class CompressedParts implements PartRestorer {
    /** The mapped matrices {@link #beforeLoad} copied out, whose pages {@link #restore} drops with the others. */
    private final List<Tensor> copiedOut = new ArrayList<>();
    static final String TOKENS = "head.cluster_tokens", ROUTER_W = "head.router.weight", ROUTER_B = "head.router.bias";
    static final String STARTS = "head.cluster_starts", SCALE = "_scale";
    static final String TAIL_B = "head.tail.first", TAIL_A = "head.tail.second";
    static final String SPARSE = "rwkv_edge.sparse_ffn.";
    static final String SELECTION = "rwkv_edge.head_selection", CACHE_ROWS = "rwkv_edge.embedding_cache_rows";
    /** Where files before typed metadata kept the head's cache size (now inside {@link #SELECTION}). */
    static final String HEAD_CACHE_ROWS = "rwkv_edge.head_cache_rows";
    /**
     * Per layer L: "rwkv_edge.neurons.L" (the bundles), ".value_scale", ".predictor.w1" ... Named to sort after every
     * tensor the model runs on, so the parts read by position form one region of the file: a page of the mapping
     * touched for a hot matrix (the kernel maps whole folios around a fault) then never drags cold bundles in.
     */
    static final String NEURONS = "rwkv_edge.neurons.";

    static void export(RwkvModel model, Map<String, Tensor> out, Map<String, String> meta) {
        if (model.head() instanceof ClusteredHead h) {
            int V = h.vocab(), C = h.router().dim();
            putRows(out, "head.weight", h.rows());
            out.put(TOKENS, Tensor.ofFloats(TOKENS, asFloats(h.index().tokens()), V));
            out.put(STARTS, Tensor.ofFloats(STARTS, asFloats(h.index().starts()), h.index().starts().length));
            out.put(ROUTER_W, Tensor.ofFloats(ROUTER_W, h.router().weight(), h.router().clusters(), C));
            out.put(ROUTER_B, Tensor.ofFloats(ROUTER_B, h.router().bias(), h.router().clusters()));
            if (h.tail() != null) {
                TailLogits t = h.tail();
                out.put(TAIL_B, Tensor.ofFloats(TAIL_B, t.first(), t.rank(), C));
                out.put(TAIL_A, new Tensor(TAIL_A, DType.I8, new long[] {V, t.rank()}, MemorySegment.ofArray(t.rows())));
                out.put(TAIL_A + SCALE, Tensor.ofFloats(TAIL_A + SCALE, t.scales(), V));
            }
            Selection s = h.selection();
            meta.put(SELECTION, PartsMetadata.write(new PartsMetadata.Head(s.coverage(), s.minClusters(),
                    s.maxClusters(), Double.isNaN(h.rowsPerToken()) ? null : h.rowsPerToken(),
                    h.rows().cache().capacity())));
        }
        if (model.embedding() instanceof CachedEmbedding e) {
            putRows(out, "emb.weight", e.table());
            meta.put(CACHE_ROWS, Integer.toString(e.capacity()));
        }
        for (int l = 0; l < model.blocks().size(); l++) {
            if (model.blocks().get(l).channelMix() instanceof SparseChannelMix s) exportSparse(l, s, out, meta);
        }
    }

    private static void putRows(Map<String, Tensor> out, String name, RowTable t) {
        out.remove(name + SCALE);
        long[] shape = {t.rows(), t.dim()};
        if (t.precision() == RowPrecision.F32) {
            out.put(name, new Tensor(name, DType.F32, shape, t.storedBytes()));
        } else {
            out.put(name, new Tensor(name, DType.I8, shape, t.storedBytes()));
            out.put(name + SCALE, Tensor.ofFloats(name + SCALE, t.scales(), t.rows()));
        }
    }

    private static float[] asFloats(int[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = v[i];
        return f;
    }

    /**
     * K and V leave the file; the bundles take their place. Metadata (typed JSON, {@link PartsMetadata.Sparse}) per
     * layer; the MLP's weights and the 1-bit predictor's signs and scales as tensors.
     */
    private static void exportSparse(int l, SparseChannelMix s, Map<String, Tensor> out, Map<String, String> meta) {
        String b = "blocks." + l + ".", n = NEURONS + l;
        out.keySet().removeIf(k -> k.startsWith(b + "ffn.key.weight") || k.startsWith(b + "ffn.value.weight"));
        MemorySegment bundles = s.storedBundles();
        int F = s.predictor().neurons();
        out.put(n, new Tensor(n, DType.I8, new long[] {F, bundles.byteSize() / F}, bundles));
        if (s.valueScales() != null) {
            out.put(n + ".value_scale", Tensor.ofFloats(n + ".value_scale", s.valueScales(), s.valueScales().length));
        }
        SparsityPredictor p = s.predictor();
        MlpPredictor mlp = p instanceof EnsemblePredictor e ? e.mlp() : p instanceof MlpPredictor m ? m : null;
        OneBitPredictor oneBit = p instanceof EnsemblePredictor e ? e.oneBit() : p instanceof OneBitPredictor o ? o : null;
        String kind = mlp != null && oneBit != null ? "both" : mlp != null ? "mlp" : "1bit";
        meta.put(SPARSE + l, PartsMetadata.write(new PartsMetadata.Sparse(kind, mlp != null ? mlp.threshold() : 0,
                mlp != null ? mlp.width() : 0, oneBit != null ? oneBit.sparsity() : 0, s.precision().label(),
                s.cacheNeurons())));
        String pb = n + ".predictor.";
        if (mlp != null) {
            out.put(pb + "w1", Tensor.ofFloats(pb + "w1", mlp.firstLayer(), mlp.width(), mlp.inputs()));
            out.put(pb + "w2t", Tensor.ofFloats(pb + "w2t", mlp.secondLayerTransposed(), mlp.width(), mlp.neurons()));
        }
        if (oneBit != null) {
            byte[] signs = oneBit.signs();
            out.put(pb + "signs", new Tensor(pb + "signs", DType.I8, new long[] {signs.length},
                    MemorySegment.ofArray(signs)));
            out.put(pb + "sign_scale", Tensor.ofFloats(pb + "sign_scale", oneBit.scales(), oneBit.neurons()));
        }
    }

    @Override
    public ChannelMix channelMix(Checkpoint ck, int l, float[] mixK, float[] mixR, boolean lerpFromPrev,
                                 Projection receptance) throws ModelFormatException {
        String spec = ck.metadata().get(SPARSE + l);
        if (spec == null) return null;
        PartsMetadata.Sparse f = PartsMetadata.sparse(ck.path(), SPARSE + l, spec);
        String n = NEURONS + l;
        Tensor bundles = ck.find(n).orElse(null);
        if (bundles == null || bundles.rank() != 2) {
            throw new ModelFormatException(ck.path(), "sparse channel mix of layer " + l + " is malformed: " + spec);
        }
        try {
            int C = mixK.length, F = (int) bundles.shape()[0];
            RowPrecision precision = RowPrecision.parse(f.precision());
            int recordBytes = SparseChannelMixBuilder.bundleBytes(precision, C);
            if (bundles.shape()[1] != recordBytes) {
                throw new ModelFormatException(ck.path(), n + " has " + bundles.shape()[1]
                        + " bytes per neuron, expected " + recordBytes + " for " + precision.label() + " of width " + C);
            }
            String pb = n + ".predictor.";
            MlpPredictor mlp = null;
            OneBitPredictor oneBit = null;
            if (!f.kind().equals("1bit")) {
                mlp = new MlpPredictor(C, f.width(), F, floats(ck, pb + "w1"), floats(ck, pb + "w2t"), f.threshold());
            }
            if (!f.kind().equals("mlp")) {
                oneBit = OneBitPredictor.of(bytes(ck, pb + "signs"), floats(ck, pb + "sign_scale"), C, f.sparsity());
            }
            SparsityPredictor p = mlp != null && oneBit != null ? new EnsemblePredictor(mlp, oneBit) : mlp != null ? mlp : oneBit;
            float[] valueScales = precision == RowPrecision.INT8 ? floats(ck, n + ".value_scale") : null;
            FileRecords records = new FileRecords(ck.path(), TensorOffsets.of(ck.path(), bundles.name()), recordBytes, F);
            return SparseChannelMixBuilder.stored(mixK, mixR, lerpFromPrev, receptance, p, precision, valueScales,
                    records, f.cacheNeurons());
        } catch (IOException e) {
            throw new ModelFormatException(ck.path(), "sparse channel mix of layer " + l + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(ck.path(), "sparse channel mix of layer " + l + ": " + e.getMessage());
        }
    }

    @Override
    public Checkpoint beforeLoad(Checkpoint ck) {
        if (!ck.metadata().containsKey(CompressedModelFile.FORMAT_KEY)) return ck;
        return NativeMatrices.copied(ck, CompressedParts::readByPosition, copiedOut);
    }

    @Override
    public void restore(Checkpoint ck, RwkvModel model) throws ModelFormatException {
        if (!ck.metadata().containsKey(CompressedModelFile.FORMAT_KEY)) return;
        if (ck.find(TOKENS).isPresent()) model.setHead(head(ck, model));
        String rows = ck.metadata().get(CACHE_ROWS);
        if (rows != null) {
            int cacheRows;
            try {
                cacheRows = Integer.parseInt(rows);
            } catch (NumberFormatException e) {
                throw new ModelFormatException(ck.path(), "metadata " + CACHE_ROWS + " is not a row count: " + rows);
            }
            model.setEmbedding(new CachedEmbedding(rowTable(ck, "emb.weight", model.config().embd(), cacheRows)));
        }
        SparseChannelMix.shareWindows(model);
        releaseLoadedPages(ck);
    }

    /**
     * Loading read vectors and scales through the mapping (their values now live on the heap), and the kernel maps
     * whole page-cache folios around a fault, so a hot matrix next to a cold table can drag part of the table into
     * the resident set. So: drop every page loading touched (madvise DONTNEED; the file is read-only), those of the
     * matrices copied out to native memory included; fault in the float32 matrices the model still runs on in place
     * (a page or more: smaller ones, such as v7's r_k, were copied to the heap), then drop the tables read by
     * position once more. The mapping then holds what running the model touches, and nothing it reads by position.
     */
    private void releaseLoadedPages(Checkpoint ck) {
        for (Tensor t : ck.tensors().values()) if (t.data().isMapped()) t.data().unload();
        for (Tensor t : copiedOut) t.data().unload();
        for (Tensor t : ck.tensors().values()) {
            if (t.data().isMapped() && t.rank() == 2 && t.data().byteSize() >= 4096 && !readByPosition(t.name())) {
                for (long o = 0; o < t.data().byteSize(); o += 4096) t.data().get(ValueLayout.JAVA_BYTE, o);
            }
        }
        for (Tensor t : ck.tensors().values()) if (t.data().isMapped() && readByPosition(t.name())) t.data().unload();
    }

    private static boolean readByPosition(String name) {
        return name.startsWith("emb.") || name.startsWith("head.") || name.startsWith(NEURONS);
    }

    /** A V x C table stored float32, or int8 with a _scale tensor, read by position through a cache. */
    private static RowTable rowTable(Checkpoint ck, String name, int C, int cacheRows) throws ModelFormatException {
        Tensor t = ck.require(name);
        if (t.rank() != 2 || t.shape()[1] != C || (t.dtype() != DType.F32 && t.dtype() != DType.I8)) {
            throw new ModelFormatException(ck.path(), name + " is " + t.dtype() + " " + t.shapeString()
                    + ", expected float32 or int8 rows of " + C);
        }
        if (cacheRows < 1) throw new ModelFormatException(ck.path(), name + ": cache of " + cacheRows + " rows");
        RowPrecision p = t.dtype() == DType.F32 ? RowPrecision.F32 : RowPrecision.INT8;
        int V = (int) t.shape()[0];
        float[] scales = p == RowPrecision.INT8 ? floats(ck, name + SCALE) : null;
        if (scales != null && scales.length != V) throw new ModelFormatException(ck.path(), name + SCALE + " needs " + V + " scales");
        try {
            FileRecords src = new FileRecords(ck.path(), TensorOffsets.of(ck.path(), name), RowTable.recordBytes(p, C), V);
            return new RowTable(p, C, scales, src, cacheRows);
        } catch (IOException e) {
            throw new ModelFormatException(ck.path(), name + ": " + e.getMessage());
        }
    }

    /** A small tensor's values, read by position (not through the mapping, which would keep its pages). */
    private static float[] floats(Checkpoint ck, String name) throws ModelFormatException {
        Tensor t = ck.require(name);
        if (t.dtype() != DType.F32) throw new ModelFormatException(ck.path(), name + " must be float32, is " + t.dtype());
        if (!t.data().isMapped()) return t.toFloats();
        MemorySegment seg = read(ck, t);
        return seg.toArray(ValueLayout.JAVA_FLOAT_UNALIGNED);
    }

    private static byte[] bytes(Checkpoint ck, String name) throws ModelFormatException {
        Tensor t = ck.require(name);
        if (t.dtype() != DType.I8) throw new ModelFormatException(ck.path(), name + " must be int8, is " + t.dtype());
        if (!t.data().isMapped()) return t.data().toArray(ValueLayout.JAVA_BYTE);
        return read(ck, t).toArray(ValueLayout.JAVA_BYTE);
    }

    /** Through native memory freed at once: a heap buffer would make NIO keep a cached direct copy of its size. */
    private static MemorySegment read(Checkpoint ck, Tensor t) throws ModelFormatException {
        int n = Math.toIntExact(t.data().byteSize());
        byte[] out = new byte[n];
        if (n == 0) return MemorySegment.ofArray(out);
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(n);
            new FileRecords(ck.path(), TensorOffsets.of(ck.path(), t.name()), n, 1).read(0, 1, seg, 0);
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, 0, out, 0, n);
        } catch (IOException | UncheckedIOException e) {
            throw new ModelFormatException(ck.path(), t.name() + ": " + e.getMessage());
        }
        return MemorySegment.ofArray(out);
    }

    private static ClusteredHead head(Checkpoint ck, RwkvModel model) throws ModelFormatException {
        Tensor w = ck.require(ROUTER_W), b = ck.require(ROUTER_B);
        float[] tok = floats(ck, TOKENS);
        int V = tok.length, C = model.config().embd();
        if (w.rank() != 2 || w.shape()[1] != C || b.numel() != w.shape()[0]) {
            throw new ModelFormatException(ck.path(), "clustered head tensors do not fit together: router "
                    + w.shapeString() + ", " + V + " cluster tokens");
        }
        PartsMetadata.Head sel = PartsMetadata.head(ck.path(), SELECTION, ck.metadata().get(SELECTION),
                ck.metadata().get(HEAD_CACHE_ROWS));
        int K = (int) w.shape()[0];
        int[] clusterOf = clusterOf(ck, tok, K);
        try {
            int cacheRows = sel.cacheRows() != null ? sel.cacheRows() : V;
            RowTable rows = rowTable(ck, "head.weight", C, cacheRows);
            if (rows.rows() != V) throw new ModelFormatException(ck.path(), "head.weight has " + rows.rows() + " rows for " + V + " tokens");
            Router router = new Router(floats(ck, ROUTER_W), floats(ck, ROUTER_B), K, C);
            ClusterIndex index = ClusterIndex.of(clusterOf, K);
            Selection s = new Selection(sel.coverage(), sel.minClusters(), sel.maxClusters());
            return new ClusteredHead(router, index, rows, null, s, tail(ck, V, C),
                    sel.rowsPerToken() != null ? sel.rowsPerToken() : Double.NaN);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(ck.path(), "clustered head: " + e.getMessage());
        }
    }

    /** The head's rank-r tail estimate, if the file has one. */
    private static TailLogits tail(Checkpoint ck, int V, int C) throws ModelFormatException {
        if (ck.find(TAIL_B).isEmpty()) return null;
        Tensor b = ck.require(TAIL_B), a = ck.require(TAIL_A);
        if (b.rank() != 2 || b.shape()[1] != C || a.rank() != 2 || a.shape()[0] != V || a.shape()[1] != b.shape()[0]) {
            throw new ModelFormatException(ck.path(), "head tail factors are " + b.shapeString() + " and "
                    + a.shapeString() + ", expected r x " + C + " and " + V + " x r");
        }
        int r = (int) b.shape()[0];
        try {
            return new TailLogits(floats(ck, TAIL_B), bytes(ck, TAIL_A), floats(ck, TAIL_A + SCALE), r, C);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(ck.path(), "head tail factors: " + e.getMessage());
        }
    }

    static int[] clusterOf(Checkpoint ck, float[] tokens, int K) throws ModelFormatException {
        float[] starts = floats(ck, STARTS);
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
