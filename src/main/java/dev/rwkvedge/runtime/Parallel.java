package dev.rwkvedge.runtime;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/** Splits row ranges over a fixed pool; one thread means plain loops on the caller. */
public final class Parallel {
    /** Below this many multiply-adds a task is not worth a thread hand-off. */
    static final long MIN_WORK = 1 << 18;

    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private final int threads;
    private final ForkJoinPool pool;

    public Parallel(int threads) {
        this.threads = Math.max(1, threads);
        this.pool = this.threads > 1 ? new ForkJoinPool(this.threads) : null;
    }

    public static Parallel serial() {
        return new Parallel(1);
    }

    public int threads() {
        return threads;
    }

    /** Runs body over [0, n) in chunks; {@code workPerItem} decides whether splitting pays. */
    public void forRange(int n, long workPerItem, RangeBody body) {
        if (pool == null || n < 2 || n * workPerItem < MIN_WORK) {
            body.run(0, n);
            return;
        }
        int chunks = Math.min(n, threads * 2);
        pool.invoke(new Split(body, 0, n, Math.max(1, (n + chunks - 1) / chunks)));
    }

    public void shutdown() {
        if (pool != null) pool.shutdown();
    }

    private static final class Split extends RecursiveAction {
        private final RangeBody body;
        private final int from, to, grain;

        Split(RangeBody body, int from, int to, int grain) {
            this.body = body;
            this.from = from;
            this.to = to;
            this.grain = grain;
        }

        @Override
        protected void compute() {
            if (to - from <= grain) {
                body.run(from, to);
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new Split(body, from, mid, grain), new Split(body, mid, to, grain));
        }
    }
}
