package dev.rwkvedge.runtime;

import dev.rwkvedge.model.ModelConfig;
import java.util.List;

/**
 * A runnable RWKV model: embedding, blocks, output norm and head, each a replaceable part. One token at a time with
 * an explicit state, or a whole sequence at once (identical results: every row goes through the same kernels in the
 * same order).
 */
public final class RwkvModel {
    /** Sequence mode works through long prompts in chunks of this many tokens to bound memory. */
    static final int CHUNK = 64;

    private final ModelConfig cfg;
    private Embedding embedding;
    private final float[] ln0W, ln0B, lnOutW, lnOutB;
    private final List<Block> blocks;
    private Head head;
    private Parallel par = Parallel.serial();
    private ForwardObserver observer;

    public RwkvModel(ModelConfig cfg, Embedding embedding, float[] ln0W, float[] ln0B, List<Block> blocks,
                     float[] lnOutW, float[] lnOutB, Head head) {
        this.cfg = cfg;
        this.embedding = embedding;
        this.ln0W = ln0W;
        this.ln0B = ln0B;
        this.blocks = List.copyOf(blocks);
        this.lnOutW = lnOutW;
        this.lnOutB = lnOutB;
        this.head = head;
    }

    public ModelConfig config() {
        return cfg;
    }

    public List<Block> blocks() {
        return blocks;
    }

    public Embedding embedding() {
        return embedding;
    }

    public Head head() {
        return head;
    }

    public void setEmbedding(Embedding e) {
        this.embedding = e;
    }

    public void setHead(Head h) {
        this.head = h;
    }

    public void setThreads(int threads) {
        par.shutdown();
        par = new Parallel(threads);
    }

    public int threads() {
        return par.threads();
    }

    public void setObserver(ForwardObserver observer) {
        this.observer = observer;
    }

    public RwkvState newState() {
        return new RwkvState(cfg);
    }

    /** Feeds one token; returns the logits after it. */
    public float[] forward(int token, RwkvState state) {
        return run(new int[] {token}, 0, 1, state, true, true);
    }

    /**
     * Feeds all tokens in order. With {@code allLogits} returns tokens.length x vocab logits (row t after token t),
     * otherwise only the logits after the last token.
     */
    public float[] forwardSequence(int[] tokens, RwkvState state, boolean allLogits) {
        if (tokens.length == 0) throw new IllegalArgumentException("no tokens to feed");
        int V = cfg.vocab();
        float[] all = allLogits ? new float[tokens.length * V] : null;
        float[] last = null;
        for (int from = 0; from < tokens.length; from += CHUNK) {
            int T = Math.min(CHUNK, tokens.length - from);
            boolean lastChunk = from + T == tokens.length;
            float[] logits = run(tokens, from, T, state, allLogits, allLogits || lastChunk);
            if (allLogits) System.arraycopy(logits, 0, all, from * V, logits.length);
            else if (lastChunk) last = logits;
        }
        return allLogits ? all : last;
    }

    /**
     * Runs T tokens; returns logits for all T rows, or only the last row when {@code all} is false, or none when
     * {@code withHead} is false (a prompt chunk before the last).
     */
    private float[] run(int[] tokens, int from, int T, RwkvState st, boolean all, boolean withHead) {
        int C = cfg.embd();
        float eps = cfg.layerNormEps();
        float[] x = new float[T * C];
        for (int t = 0; t < T; t++) {
            embedding.row(tokens[from + t], x, t * C);
            if (ln0W != null) Norms.layerNorm(x, t * C, x, t * C, C, ln0W, ln0B, eps);
        }
        ForwardContext ctx = new ForwardContext(par, observer, T);
        for (int l = 0; l < blocks.size(); l++) blocks.get(l).forward(l, x, st, ctx, eps);
        if (!withHead) return null;
        int rows = all ? T : 1;
        int first = T - rows;
        float[] n = new float[rows * C];
        for (int t = 0; t < rows; t++) Norms.layerNorm(x, (first + t) * C, n, t * C, C, lnOutW, lnOutB, eps);
        float[] logits = new float[rows * head.vocab()];
        head.logits(n, rows, logits, par);
        return logits;
    }
}
