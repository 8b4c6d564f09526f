package dev.rwkvedge.runtime;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A runnable RWKV model: embedding, blocks, output norm and head, each a replaceable part. One token at a time with
 * an explicit state, or a whole sequence at once (identical results: every row goes through the same kernels in the
 * same order).
 */
public final class RwkvModel {
    /** Sequence mode works through long prompts in chunks of this many tokens to bound memory. */
    static final int CHUNK = 64;

    private final ModelShape cfg;
    private Embedding embedding;
    private final float[] ln0W, ln0B, lnOutW, lnOutB;
    private final List<Block> blocks;
    private Head head;
    private Parallel par = Parallel.serial();
    private ForwardObserver observer;
    private Consumer<float[]> logitsCheck;
    /** Contexts and their working arrays kept between calls: one for single tokens, one for chunks (a caller that
     * finds one taken by another thread works with a fresh one). */
    private final AtomicReference<ForwardContext> tokenContext = new AtomicReference<>(),
            chunkContext = new AtomicReference<>();

    public RwkvModel(ModelShape cfg, Embedding embedding, float[] ln0W, float[] ln0B, List<Block> blocks,
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

    public ModelShape config() {
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

    /**
     * Sees every logits array the model writes (rows x vocab), before it reaches the caller, and may throw: the loader
     * uses it to turn weights damaged into NaN or infinity into an error naming the tensor.
     */
    public void setLogitsCheck(Consumer<float[]> check) {
        this.logitsCheck = check;
    }

    /**
     * Bytes of weights one token reads: every block, the head and one embedding row. Decode streams them from memory,
     * so memory bandwidth divided by this bounds its speed.
     */
    public long bytesPerToken() {
        long n = head.residentBytes() + embedding.residentBytes() / embedding.vocab();
        for (Block b : blocks) n += b.bytesPerToken();
        return n;
    }

    /**
     * Bytes of the working arrays kept for single-token calls (0 before the first one): memory decoding holds beside
     * the weights, which a model's size report does not count but a process's memory includes.
     */
    public long workingBytes() {
        ForwardContext ctx = tokenContext.get();
        return ctx == null ? 0 : ctx.workingBytes();
    }

    public RwkvState newState() {
        return new RwkvState(cfg);
    }

    /** Feeds one token; returns the logits after it. */
    public float[] forward(int token, RwkvState state) {
        float[] logits = new float[head.vocab()];
        forward(token, state, logits);
        return logits;
    }

    /** Feeds one token and writes the logits after it into {@code logits} (vocab floats): decoding that allocates nothing. */
    public void forward(int token, RwkvState state, float[] logits) {
        if (logits.length != head.vocab()) {
            throw new IllegalArgumentException("logits need " + head.vocab() + " floats, got " + logits.length);
        }
        run(token, null, 0, 1, state, true, logits);
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
            if (allLogits) {
                float[] logits = new float[T * V];
                run(0, tokens, from, T, state, true, logits);
                System.arraycopy(logits, 0, all, from * V, logits.length);
            } else {
                if (lastChunk) last = new float[V];
                run(0, tokens, from, T, state, false, last);
            }
        }
        return allLogits ? all : last;
    }

    /**
     * Runs T tokens ({@code tokens[from ..]}, or the single {@code token} when tokens is null) and writes the
     * logits of all T rows, or only of the last one when {@code all} is false, into {@code logits}; none when it is
     * null (a prompt chunk before the last).
     */
    private void run(int token, int[] tokens, int from, int T, RwkvState st, boolean all, float[] logits) {
        AtomicReference<ForwardContext> kept = T == 1 ? tokenContext : chunkContext;
        ForwardContext ctx = kept.getAndSet(null);
        if (ctx == null) ctx = new ForwardContext();
        ctx.begin(par, observer, T);
        try {
            int C = cfg.embd();
            float eps = cfg.layerNormEps();
            float[] x = ctx.buffer(T * C);
            for (int t = 0; t < T; t++) {
                embedding.row(tokens == null ? token : tokens[from + t], x, t * C);
                if (ln0W != null) Norms.layerNorm(x, t * C, x, t * C, C, ln0W, ln0B, eps);
            }
            ctx.blocksStart();
            for (int l = 0; l < blocks.size(); l++) {
                ctx.nextBlock();
                blocks.get(l).forward(l, x, st, ctx, eps);
            }
            if (logits == null) return;
            int rows = all ? T : 1;
            int first = T - rows;
            float[] n = ctx.buffer(rows * C);
            for (int t = 0; t < rows; t++) Norms.layerNorm(x, (first + t) * C, n, t * C, C, lnOutW, lnOutB, eps);
            head.logits(n, rows, logits, par);
            if (logitsCheck != null) logitsCheck.accept(logits);
        } finally {
            kept.set(ctx);
        }
    }
}
