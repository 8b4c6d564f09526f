package dev.rwkvedge.runtime;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits row ranges over a persistent team of worker threads; one thread means plain loops on the caller.
 * Decode hands a team one matrix at a time, hundreds of times per token, so a hand-off must cost about a
 * microsecond: the workers spin briefly for the next job before they park, the caller takes chunks too, and the
 * end of a job is a counter reaching zero (no futures, no task objects beyond one per job).
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
        if (!splits(n, workPerItem) || team.backingOff()
                || !team.busy.compareAndSet(false, true)) {
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
     * Whether {@link #forRange} would hand this loop to the team. A hot caller that gets false runs its loop inline
     * without building a body: a body the team might receive escapes, so it is allocated, and the call through it
     * is not inlined, which made two threads slower than one on models too small ever to split.
     */
    public boolean splits(int n, long workPerItem) {
        return team != null && n >= 2 && n * workPerItem >= MIN_WORK;
    }

    public void shutdown() {
        if (cleanable != null) cleanable.clean();
    }

    /** One parallel loop: its chunks are claimed from {@code next}; {@code unfinished} reaches 0 when all ran. */
    private static final class Job {
        final RangeBody body;
        final int n, chunks;
        final AtomicInteger next = new AtomicInteger(), unfinished;
        volatile Throwable failure;

        Job(RangeBody body, int n, int chunks) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.unfinished = new AtomicInteger(chunks);
        }

        /** Runs chunks until none are left; returns how many this thread ran. */
        int work() {
            int ran = 0;
            for (int c; (c = next.getAndIncrement()) < chunks; ran++) {
                try {
                    if (failure == null) body.run((int) ((long) c * n / chunks), (int) ((long) (c + 1) * n / chunks));
                } catch (Throwable e) {
                    failure = e;
                } finally {
                    unfinished.decrementAndGet();
                }
            }
            return ran;
        }
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
        private volatile Job job;
        private volatile boolean stopped;
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

        void run(int n, RangeBody body) {
            Job j = new Job(body, n, Math.min(n, (workers.length + 1) * CHUNKS_PER_THREAD));
            job = j;
            if (sleeping.get() > 0) for (Thread w : workers) LockSupport.unpark(w);
            long start = System.nanoTime();
            int mine = j.work();
            long waitFrom = System.nanoTime();
            for (int spins = 0; j.unfinished.get() > 0; spins++) {
                if (spins < 1 << 14) Thread.onSpinWait();
                else Thread.yield();
            }
            long chunkNanos = mine > 0 ? (waitFrom - start) / mine : 0;
            if (System.nanoTime() - waitFrom > LATE_NANOS + 2 * chunkNanos) alone = BACK_OFF_JOBS;
            if (j.failure != null) {
                if (j.failure instanceof RuntimeException e) throw e;
                if (j.failure instanceof Error e) throw e;
                throw new IllegalStateException(j.failure);
            }
        }

        /** True while jobs run on the caller alone after a late helper; counts those jobs down. */
        boolean backingOff() {
            int a = alone;
            if (a <= 0) return false;
            alone = a - 1;
            return true;
        }

        private void loop(int id) {
            Job done = null;
            while (!stopped) {
                Job j = job;
                if (j != done && j != null) {
                    j.work();
                    done = j;
                    continue;
                }
                long until = System.nanoTime() + SPIN_NANOS;
                while ((j = job) == done && !stopped && System.nanoTime() < until) {
                    for (int k = 0; k < 64; k++) Thread.onSpinWait();
                }
                if (j == done && !stopped) {
                    sleeping.incrementAndGet();
                    if (job == done && !stopped) LockSupport.park(this);
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
