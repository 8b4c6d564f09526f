package dev.rwkvedge.runtime;

import dev.rwkvedge.tensor.StoredMatrix;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits row ranges over a persistent team of worker threads; one thread means plain loops on the caller.
 * Decode hands a team one matrix at a time, hundreds of times per token, so a hand-off must cost about a
 * microsecond: the workers spin briefly for the next job before they park, the caller takes chunks too, and the
 * end of a job is a counter reaching zero. Nothing is allocated per job: the team's one job is rewritten for each
 * loop, and decode's matrix-vector products ({@link #matVec}) need no loop body either.
 */
public final class Parallel {
    /** Below this many multiply-adds a task is not worth a thread hand-off. */
    static final long MIN_WORK = 1 << 18;
    private static final Cleaner CLEANER = Cleaner.create();

    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private final int threads;
    private final Team team;
    private final Cleaner.Cleanable cleanable;

    public Parallel(int threads) {
        this.threads = Math.max(1, threads);
        this.team = this.threads > 1 ? new Team(this.threads - 1) : null;
        // a Parallel nobody shuts down still lets its workers go once it is unreachable
        this.cleanable = team == null ? null : CLEANER.register(this, team::stop);
    }

    public static Parallel serial() {
        return new Parallel(1);
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs body over [0, n) in chunks; {@code workPerItem} decides whether splitting pays. A call made while the
     * team is busy (nested, or from a second caller thread) runs on its own thread.
     */
    public void forRange(int n, long workPerItem, RangeBody body) {
        if (!takeTeam(n, workPerItem)) {
            body.run(0, n);
            return;
        }
        try {
            team.run(n, body);
        } finally {
            team.busy.set(false);
        }
    }

    /**
     * y[yOff ..] = W x[xOff ..] over all rows of w, split as {@link #forRange} splits a loop of w.rows() items of
     * w.cols() multiply-adds each. Decode's hot call: the team holds the operands, so no loop body is built.
     */
    public void matVec(StoredMatrix w, float[] x, int xOff, float[] y, int yOff) {
        int n = w.rows();
        if (!takeTeam(n, w.cols())) {
            w.matVec(x, xOff, y, yOff, 0, n);
            return;
        }
        try {
            team.matVec(w, x, xOff, y, yOff);
        } finally {
            team.busy.set(false);
        }
    }

    /**
     * Whether {@link #forRange} would hand this loop to the team. A hot caller that gets false runs its loop inline
     * without building a body: a body the team might receive escapes, so it is allocated, and the call through it
     * is not inlined, which made two threads slower than one on models too small ever to split.
     */
    public boolean splits(int n, long workPerItem) {
        return team != null && n >= 2 && n * workPerItem >= MIN_WORK;
    }

    /**
     * Takes the team for a loop that splits, unless it is backing off or busy (nested, or a second caller thread);
     * whoever gets true releases it ({@code team.busy.set(false)}).
     */
    private boolean takeTeam(int n, long workPerItem) {
        return splits(n, workPerItem) && !team.backingOff() && team.busy.compareAndSet(false, true);
    }

    public void shutdown() {
        if (cleanable != null) cleanable.clean();
    }

    private static final class Team {
        /** How long an idle worker spins for the next job before it parks. */
        private static final long SPIN_NANOS = 200_000;
        /**
         * A caller that waits longer than this beyond two of its own chunks' time for a helper's last chunk has met
         * a helper the OS took off its core (a loaded machine): the next {@link #BACK_OFF_JOBS} jobs run on the
         * caller alone, so that a busy machine makes two threads as fast as one instead of slower. Measured against
         * the chunk time, because a helper that started its last chunk just before the caller ran out of chunks
         * keeps the caller waiting up to a chunk's time (a millisecond for a 0.1B model's head) when nothing is
         * wrong; a fixed limit below that sent every large job to one thread.
         */
        private static final long LATE_NANOS = 200_000;
        private static final int BACK_OFF_JOBS = 2000;
        /** Jobs still to run alone (a racy count: it only decides how soon the team is tried again). */
        private volatile int alone;

        final AtomicBoolean busy = new AtomicBoolean();
        private final Thread[] workers;
        private volatile boolean stopped;
        /**
         * The one job, rewritten by the caller for each loop (plain fields, published by the write of {@link #claim}).
         * A chunk is claimed by advancing claim = generation << 32 | next chunk; the generation in the same word
         * keeps a worker still leaving the last loop from taking a chunk of the next with the last loop's fields.
         */
        private RangeBody body;
        private int n, chunks, generation;
        private final AtomicLong claim = new AtomicLong();
        private final AtomicInteger unfinished = new AtomicInteger();
        private volatile Throwable failure;
        /** Operands of {@link #matVec} and the body that reads them, made once. */
        private StoredMatrix m;
        private float[] x, y;
        private int xOff, yOff;
        private final RangeBody matVecBody = (from, to) -> m.matVec(x, xOff, y, yOff, from, to);
        /** Written by workers about to park, read by the caller after publishing a job (both volatile: Dekker). */
        private final AtomicInteger sleeping = new AtomicInteger();
        /** Chunks per thread: enough that a thread slowed by other load does not hold the others up. */
        private static final int CHUNKS_PER_THREAD = 4;

        Team(int helpers) {
            workers = new Thread[helpers];
            for (int i = 0; i < helpers; i++) {
                final int id = i;
                workers[i] = Thread.ofPlatform().daemon().name("rwkv-worker-" + i).unstarted(() -> loop(id));
                workers[i].start();
            }
        }

        void matVec(StoredMatrix w, float[] x, int xOff, float[] y, int yOff) {
            this.m = w;
            this.x = x;
            this.xOff = xOff;
            this.y = y;
            this.yOff = yOff;
            try {
                run(w.rows(), matVecBody);
            } finally {
                this.m = null; // the team holds no model data between calls
                this.x = this.y = null;
            }
        }

        void run(int n, RangeBody body) {
            this.body = body;
            this.n = n;
            this.chunks = Math.min(n, (workers.length + 1) * CHUNKS_PER_THREAD);
            failure = null;
            unfinished.set(chunks);
            int g = ++generation;
            claim.set((long) g << 32);
            if (sleeping.get() > 0) for (Thread w : workers) LockSupport.unpark(w);
            long start = System.nanoTime();
            int mine = work(g);
            long waitFrom = System.nanoTime();
            for (int spins = 0; unfinished.get() > 0; spins++) {
                if (spins < 1 << 14) Thread.onSpinWait();
                else Thread.yield();
            }
            this.body = null;
            long chunkNanos = mine > 0 ? (waitFrom - start) / mine : 0;
            if (System.nanoTime() - waitFrom > LATE_NANOS + 2 * chunkNanos) alone = BACK_OFF_JOBS;
            Throwable f = failure;
            if (f != null) {
                if (f instanceof RuntimeException e) throw e;
                if (f instanceof Error e) throw e;
                throw new IllegalStateException(f);
            }
        }

        /** Runs chunks of generation g until none are left (or g is over); returns how many this thread ran. */
        private int work(int g) {
            int ran = 0;
            for (;;) {
                long c = claim.get();
                int k = (int) c;
                if ((int) (c >>> 32) != g || k >= chunks) return ran;
                if (!claim.compareAndSet(c, c + 1)) continue;
                // chunk k of g is ours, and g cannot end before we count it done: its fields stay as they are
                RangeBody b = body;
                int items = n, parts = chunks;
                try {
                    if (failure == null) b.run((int) ((long) k * items / parts), (int) ((long) (k + 1) * items / parts));
                } catch (Throwable e) {
                    failure = e;
                } finally {
                    unfinished.decrementAndGet();
                }
                ran++;
            }
        }

        /** True while jobs run on the caller alone after a late helper; counts those jobs down. */
        boolean backingOff() {
            int a = alone;
            if (a <= 0) return false;
            alone = a - 1;
            return true;
        }

        private int published() {
            return (int) (claim.get() >>> 32);
        }

        private void loop(int id) {
            int done = 0;
            while (!stopped) {
                int g = published();
                if (g != done) {
                    work(g);
                    done = g;
                    continue;
                }
                long until = System.nanoTime() + SPIN_NANOS;
                while ((g = published()) == done && !stopped && System.nanoTime() < until) {
                    for (int k = 0; k < 64; k++) Thread.onSpinWait();
                }
                if (g == done && !stopped) {
                    sleeping.incrementAndGet();
                    if (published() == done && !stopped) LockSupport.park(this);
                    sleeping.decrementAndGet();
                }
            }
        }

        void stop() {
            stopped = true;
            for (Thread w : workers) LockSupport.unpark(w);
        }
    }
}
