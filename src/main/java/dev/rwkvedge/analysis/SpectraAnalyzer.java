package dev.rwkvedge.analysis;

import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.task.CancelledException;
import dev.rwkvedge.task.ProgressListener;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Computes the spectra of many matrices on a small thread pool, one matrix per task (a single SVD does not split
 * across threads in EJML). Largest matrices go first so the threads finish together. Progress is reported after each
 * matrix; cancellation is checked before each, and the running ones are awaited before {@link CancelledException}
 * propagates, so no thread still reads the checkpoint when the caller closes it.
 */
public final class SpectraAnalyzer {
    private SpectraAnalyzer() {}

    public static ModelSpectra compute(Checkpoint ck, boolean includeEmbeddings, int threads, ProgressListener progress) {
        return new ModelSpectra(compute(WeightMatrices.of(ck, includeEmbeddings), threads, progress), includeEmbeddings);
    }

    /** The analyses of {@code matrices}, in the same order. */
    public static List<AnalyzedMatrix> compute(List<WeightMatrix> matrices, int threads, ProgressListener progress) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1: " + threads);
        int total = matrices.size();
        progress.update(0, total, "spectra");
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "spectra");
            t.setDaemon(true);
            return t;
        });
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < total; i++) order.add(i);
        order.sort(Comparator.comparingLong((Integer i) -> matrices.get(i).cost()).reversed());
        List<Future<AnalyzedMatrix>> futures = new ArrayList<>(java.util.Collections.nCopies(total, null));
        try {
            for (int i : order) {
                WeightMatrix m = matrices.get(i);
                futures.set(i, pool.submit(() -> {
                    progress.checkCancelled();
                    AnalyzedMatrix a = AnalyzedMatrix.of(SingularValues.spectrum(m));
                    // count and report under one lock so that a listener never sees the count go backwards
                    synchronized (done) {
                        progress.update(done.incrementAndGet(), total, m.key());
                    }
                    return a;
                }));
            }
            List<AnalyzedMatrix> out = new ArrayList<>(total);
            for (Future<AnalyzedMatrix> f : futures) out.add(await(f));
            return out;
        } finally {
            pool.shutdownNow();
            awaitQuietly(pool);
        }
    }

    private static AnalyzedMatrix await(Future<AnalyzedMatrix> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException(c);
        }
    }

    private static void awaitQuietly(ExecutorService pool) {
        try {
            // a running SVD cannot be interrupted; it ends within one matrix's time
            pool.awaitTermination(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
