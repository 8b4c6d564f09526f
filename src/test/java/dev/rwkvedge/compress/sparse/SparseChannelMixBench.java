package dev.rwkvedge.compress.sparse;

import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.model.SyntheticModel;
import dev.rwkvedge.runtime.ChannelMix;
import dev.rwkvedge.runtime.DenseChannelMix;
import dev.rwkvedge.runtime.ForwardContext;
import dev.rwkvedge.runtime.ForwardObserver;
import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.runtime.RwkvState;
import dev.rwkvedge.task.ProgressListener;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Dense against sparse channel mix at the 0.1B shapes (C = 768, F = 3072), random weights, one token at a time.
 * A one-layer synthetic RWKV-7 runs with each channel mix in turn, and the CPU time inside the channel mix is
 * counted. Not part of the test suite (its name does not end in Test); after
 * {@code mvn test-compile}: {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes
 * dev.rwkvedge.compress.sparse.SparseChannelMixBench [tokens] [trainEpochs]}.
 */
public final class SparseChannelMixBench {
    static final int C = 768, F = 3072;

    public static void main(String[] args) throws Exception {
        int tokens = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        var shape = new SyntheticModel.Shape("bench-0.1b-layer", 1, C, 64, F, 256, 64, 64, 32, 128);
        try (LoadedModel m = LoadedModel.of(SyntheticModel.rwkv7(shape, 1), null)) {
            RwkvModel model = m.model();
            DenseChannelMix dense = (DenseChannelMix) model.blocks().get(0).channelMix();
            float[] k = dense.projections().get("ffn.key").toArray();
            NeuronBundle bundle = NeuronBundle.of(k, dense.projections().get("ffn.value").toArray(), C, F);
            TokenShift shift = new TokenShift(dense.mixK(), dense.mixR(), dense.lerpFromPrev());
            SplittableRandom rnd = new SplittableRandom(2);
            int[] text = new int[tokens];
            for (int i = 0; i < tokens; i++) text[i] = rnd.nextInt(256);
            System.out.printf("C=%d F=%d, %d tokens one at a time, %s, 1 thread%n", C, F, tokens,
                    dev.rwkvedge.runtime.Kernels.simd() ? "Vector API" : "scalar");

            MlpPredictor mlp = randomMlp(rnd);
            float[] prob = probabilitiesOnRealInputs(model, mlp, Arrays.copyOf(text, 20));
            Map<String, ChannelMix> mixes = new LinkedHashMap<>();
            mixes.put("dense channel mix", dense);
            for (double active : new double[] {0.05, 0.10, 0.20}) {
                mixes.put("sparse, fixed " + (int) (100 * active) + "% set (no predictor)",
                        new SparseChannelMix(shift, bundle, null, new FixedSet(C, F, active, 3)));
            }
            for (double p : new double[] {0.9, 0.8}) {
                mixes.put("sparse, 1-bit predictor p=" + p,
                        new SparseChannelMix(shift, bundle, null, OneBitPredictor.of(k, F, C, p)));
            }
            mixes.put("sparse, MLP w=64 predictor (~10%)",
                    new SparseChannelMix(shift, bundle, null, mlp.atThreshold(prob[(int) (0.9 * prob.length)])));
            for (ChannelMix cm : mixes.values()) perToken(model, cm, text);
            double denseMs = perToken(model, dense, text);
            for (var e : mixes.entrySet()) {
                if (e.getValue() instanceof SparseChannelMix s) s.resetCounters();
                double ms = e.getValue() == dense ? denseMs : perToken(model, e.getValue(), text);
                String extra = e.getValue() instanceof SparseChannelMix s
                        ? String.format(" (%.1fx), %.1f%% of neurons computed", denseMs / ms, 100 * s.meanActiveFraction())
                        : "";
                System.out.printf("%-42s %7.3f ms/token%s%n", e.getKey(), ms, extra);
            }
            trainingTime(k, epochs);
        }
    }

    /**
     * CPU time of the channel mix alone per token (thread CPU time, not wall time: the machine is shared), the
     * fastest of five passes over the text with {@code cm} installed in the one-layer model.
     */
    static double perToken(RwkvModel model, ChannelMix cm, int[] text) {
        Timed timed = new Timed(cm);
        model.blocks().get(0).setChannelMix(timed);
        double best = Double.MAX_VALUE;
        for (int r = 0; r < 5; r++) {
            timed.nanos = 0;
            RwkvState st = model.newState();
            for (int t : text) model.forward(t, st);
            best = Math.min(best, timed.nanos / 1e6 / text.length);
        }
        return best;
    }

    /** Adds up the CPU time spent inside the wrapped channel mix. */
    static final class Timed implements ChannelMix {
        private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
        final ChannelMix inner;
        long nanos;

        Timed(ChannelMix inner) {
            this.inner = inner;
        }

        @Override
        public void forward(int layer, float[] x, RwkvState st, ForwardContext ctx, float[] out) {
            long t0 = CPU.getCurrentThreadCpuTime();
            inner.forward(layer, x, st, ctx, out);
            nanos += CPU.getCurrentThreadCpuTime() - t0;
        }

        @Override
        public long residentBytes() {
            return inner.residentBytes();
        }

        @Override
        public long parameters() {
            return inner.parameters();
        }

        @Override
        public long vectorParameters() {
            return inner.vectorParameters();
        }
    }

    /** The MLP's probabilities over the x_k the model really produces, sorted, to place a threshold at a quantile. */
    static float[] probabilitiesOnRealInputs(RwkvModel model, MlpPredictor mlp, int[] tokens) {
        List<float[]> xs = new ArrayList<>();
        model.setObserver(new ForwardObserver() {
            @Override
            public void projectionInput(int layer, String name, float[] x, int T, int width) {
                if (name.equals("ffn.key")) xs.add(x.clone());
            }
        });
        model.forwardSequence(tokens, model.newState(), false);
        model.setObserver(null);
        float[] all = new float[0];
        for (float[] x : xs) {
            for (int t = 0; t < x.length / C; t++) {
                float[] p = mlp.probabilities(x, t * C);
                all = Arrays.copyOf(all, all.length + F);
                System.arraycopy(p, 0, all, all.length - F, F);
            }
        }
        Arrays.sort(all);
        return all;
    }

    static MlpPredictor randomMlp(SplittableRandom rnd) {
        float[] w1 = new float[64 * C], w2t = new float[64 * F];
        for (int i = 0; i < w1.length; i++) w1[i] = (float) rnd.nextGaussian() / (float) Math.sqrt(C);
        for (int i = 0; i < w2t.length; i++) w2t[i] = (float) rnd.nextGaussian() / 8f;
        return new MlpPredictor(C, 64, F, w1, w2t, 0.5);
    }

    /** MLP training at the paper's sizes: 2000 samples (1600 trained), width 64, timed for a few epochs. */
    static void trainingTime(float[] k, int epochs) {
        int n = 2000;
        SplittableRandom rnd = new SplittableRandom(8);
        float[] x = new float[n * C];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        int words = LayerSamples.wordsPerRow(F);
        long[] mask = new long[n * words];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < F; j++) {
                if (dev.rwkvedge.runtime.Kernels.dot(k, j * C, x, i * C, C) > 0) mask[i * words + (j >>> 6)] |= 1L << j;
            }
        }
        LayerSamples s = new LayerSamples(C, F, n, x, mask);
        var split = s.split(0.2, 1);
        long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        var r = MlpTrainer.train(s, split.train(), new MlpTrainer.Settings(64, epochs, 0.005, 1), 0.7,
                ProgressListener.NONE);
        double cpuMs = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0) / 1e6;
        System.out.printf("MLP training %d->64->%d on %d samples: %d epochs in %.0f ms CPU, %d ms wall (%.0f ms CPU"
                + "/epoch incl. setup)%n", C, F, split.train().length, epochs, cpuMs, r.millis(), cpuMs / Math.max(1, epochs));
    }

    /** A predictor that always names the same random neurons: the sparse mix's own cost without a predictor's. */
    record FixedSet(int inputs, int neurons, int[] set) implements SparsityPredictor {
        FixedSet(int inputs, int neurons, double fraction, long seed) {
            this(inputs, neurons, new SplittableRandom(seed).ints(0, neurons).distinct()
                    .limit(Math.round(fraction * neurons)).sorted().toArray());
        }

        public int predict(float[] x, int xOff, int[] active) {
            System.arraycopy(set, 0, active, 0, set.length);
            return set.length;
        }

        public SparsityPredictor atThreshold(double t) {
            return this;
        }

        public long parameters() {
            return 0;
        }

        public long residentBytes() {
            return 0;
        }
    }
}
