package dev.rwkvedge.compress.head;

import dev.rwkvedge.runtime.DenseHead;
import dev.rwkvedge.runtime.DenseProjection;
import dev.rwkvedge.runtime.Parallel;
import dev.rwkvedge.task.ProgressListener;
import java.util.Random;

/**
 * Dense against clustered head per token at the sample model's size (V = 8192, C = 192), random weights with a
 * cluster structure (rows scattered around 200 centres, inputs near one centre) so the router has something to find.
 * Not a test: run it by hand, e.g.
 * {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:$(cat cp.txt)
 * dev.rwkvedge.compress.head.ClusteredHeadBench [threads] [input scale] [clusters]}. A smaller input scale flattens the
 * distributions, so more clusters are needed to reach the coverage.
 */
public final class ClusteredHeadBench {
    static final int V = 8192, C = 192, CENTRES = 200, SAMPLES = 4096;

    public static void main(String[] args) {
        Parallel par = new Parallel(args.length > 0 ? Integer.parseInt(args[0]) : 1);
        float scale = args.length > 1 ? Float.parseFloat(args[1]) : 0.4f;
        int K = args.length > 2 ? Integer.parseInt(args[2]) : CENTRES;
        Random r = new Random(1);
        float[] centres = gaussian(CENTRES * C, 1, r);
        float[] w = new float[V * C];
        for (int v = 0; v < V; v++) {
            int c = r.nextInt(CENTRES);
            for (int d = 0; d < C; d++) w[v * C + d] = centres[c * C + d] + (float) r.nextGaussian() * 0.5f;
        }
        DenseHead dense = new DenseHead(DenseProjection.of(w, V, C));
        float[] x = new float[SAMPLES * C];
        for (int s = 0; s < SAMPLES; s++) {
            int c = r.nextInt(CENTRES);
            for (int d = 0; d < C; d++) x[s * C + d] = scale * (centres[c * C + d] + (float) r.nextGaussian());
        }

        long t0 = System.nanoTime();
        KMeans.Result km = new KMeans(K, 50, 0).fit(w, V, C, par, ProgressListener.NONE);
        long t1 = System.nanoTime();
        ClusterIndex index = ClusterIndex.of(km.assignment(), K);
        HeadSamples samples = samples(dense, index, x);
        long t2 = System.nanoTime();
        RouterTraining training = new RouterTrainer(5, 64, 1e-2, 0).train(RouterTrainer.initial(w, null, index, C),
                samples.slice(0, SAMPLES * 9 / 10), samples.slice(SAMPLES * 9 / 10, SAMPLES), par,
                ProgressListener.NONE);
        long t3 = System.nanoTime();
        System.out.printf("k-means V=%d C=%d K=%d: %.2f s, %d iterations; router 5 epochs on %d samples: %.2f s%n", V,
                C, K, (t1 - t0) / 1e9, km.iterations(), SAMPLES * 9 / 10, (t3 - t2) / 1e9);
        System.out.printf("router KL train %.4f -> %.4f, validation %.4f -> %.4f%n", training.initialTrainKl(),
                training.finalTrainKl(), training.initialValidationKl(), training.finalValidationKl());

        ClusteredHead clustered = ClusteredHead.of(w, null, training.router(), index, Selection.PAPER);
        HeadReport report = HeadReport.measure(dense, clustered, x, SAMPLES, C, par);
        System.out.println(report);
        double denseUs = perToken(dense::logits, x, par), clusteredUs = 0;
        for (int rep = 0; rep < 2; rep++) {
            denseUs = perToken(dense::logits, x, par);
            clustered.resetCounters();
            clusteredUs = perToken(clustered::logits, x, par);
        }
        System.out.printf("threads %d, input scale %.2f: dense %.1f us/token, clustered %.1f us/token (%.2fx), %.0f rows and %.1f clusters"
                        + " per token%n", par.threads(), scale, denseUs, clusteredUs, denseUs / clusteredUs,
                clustered.meanRowsPerToken(), clustered.meanClustersPerToken());
        HeadMemory mem = clustered.withRowsPerToken(clustered.meanRowsPerToken()).memory();
        System.out.printf("resident: dense %d B, clustered mapped %d B, clustered loaded %d B%n",
                dense.residentBytes(), mem.residentIfMapped(), mem.residentIfLoaded());
        par.shutdown();
    }

    interface Logits {
        void run(float[] x, int T, float[] out, Parallel par);
    }

    /** Microseconds per token over all samples, one token per call as in generation. */
    static double perToken(Logits head, float[] x, Parallel par) {
        float[] one = new float[C], out = new float[V];
        long t = System.nanoTime();
        for (int s = 0; s < SAMPLES; s++) {
            System.arraycopy(x, s * C, one, 0, C);
            head.run(one, 1, out, par);
        }
        return (System.nanoTime() - t) / 1e3 / SAMPLES;
    }

    static HeadSamples samples(DenseHead dense, ClusterIndex index, float[] x) {
        RecordingHead rec = new RecordingHead(dense, index, C);
        float[] out = new float[64 * V];
        for (int s = 0; s < SAMPLES; s += 64) {
            rec.logits(java.util.Arrays.copyOfRange(x, s * C, (s + 64) * C), 64, out, Parallel.serial());
        }
        return rec.samples();
    }

    static float[] gaussian(int n, float scale, Random r) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian() * scale;
        return a;
    }
}
