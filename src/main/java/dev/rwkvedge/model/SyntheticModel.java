package dev.rwkvedge.model;

import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Random-weight RWKV-7 checkpoints with the shapes of real ones, for benchmarks at a real size. The values follow
 * the scale of a trained model (rows of norm about 1, decays in the usual range) so the numbers stay finite.
 */
public final class SyntheticModel {
    /** Shapes of a published RWKV-7 size. */
    public record Shape(String name, int layers, int embd, int headSize, int ffn, int vocab, int wDim, int aDim,
                        int vDim, int gDim) {}

    public static final Shape RWKV7_0B1 = new Shape("rwkv7-0.1b", 12, 768, 64, 3072, 65536, 64, 64, 32, 128);

    private SyntheticModel() {}

    public static Shape shape(String name) {
        if (name.equals(RWKV7_0B1.name())) return RWKV7_0B1;
        throw new IllegalArgumentException("unknown synthetic shape '" + name + "' (known: " + RWKV7_0B1.name() + ")");
    }

    public static Checkpoint rwkv7(Shape s, long seed) {
        Arena arena = Arena.ofShared();
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, Tensor> t = new LinkedHashMap<>();
        int C = s.embd(), H = C / s.headSize();
        Gen g = new Gen(arena, rnd, t);
        g.matrix("emb.weight", s.vocab(), C, 1.0);
        g.constant("blocks.0.ln0.weight", 1f, C);
        g.constant("blocks.0.ln0.bias", 0f, C);
        for (int l = 0; l < s.layers(); l++) {
            String b = "blocks." + l + ".";
            for (String ln : new String[] {"ln1", "ln2"}) {
                g.constant(b + ln + ".weight", 1f, C);
                g.constant(b + ln + ".bias", 0f, C);
            }
            for (String x : new String[] {"x_r", "x_w", "x_k", "x_v", "x_a", "x_g"}) g.uniform(b + "att." + x, 0, 1, 1, 1, C);
            g.uniform(b + "att.w0", -6, -1, 1, 1, C);
            g.matrix(b + "att.w1", C, s.wDim(), 0.1);
            g.matrix(b + "att.w2", s.wDim(), C, 0.1);
            g.uniform(b + "att.a0", -1, 1, 1, 1, C);
            g.matrix(b + "att.a1", C, s.aDim(), 0.1);
            g.matrix(b + "att.a2", s.aDim(), C, 0.1);
            if (l > 0) {
                g.uniform(b + "att.v0", -1, 1, 1, 1, C);
                g.matrix(b + "att.v1", C, s.vDim(), 0.1);
                g.matrix(b + "att.v2", s.vDim(), C, 0.1);
            }
            g.matrix(b + "att.g1", C, s.gDim(), 0.1);
            g.matrix(b + "att.g2", s.gDim(), C, 0.1);
            g.uniform(b + "att.k_k", 0.5, 1.5, 1, 1, C);
            g.uniform(b + "att.k_a", 0.5, 1.5, 1, 1, C);
            g.uniform(b + "att.r_k", -0.5, 0.5, H, s.headSize());
            for (String p : new String[] {"receptance", "key", "value", "output"}) g.matrix(b + "att." + p + ".weight", C, C, 1.0);
            g.constant(b + "att.ln_x.weight", 1f, C);
            g.constant(b + "att.ln_x.bias", 0f, C);
            g.uniform(b + "ffn.x_k", 0, 1, 1, 1, C);
            g.matrix(b + "ffn.key.weight", s.ffn(), C, 1.0);
            g.matrix(b + "ffn.value.weight", C, s.ffn(), 1.0);
        }
        g.constant("ln_out.weight", 1f, C);
        g.constant("ln_out.bias", 0f, C);
        g.matrix("head.weight", s.vocab(), C, 1.0);
        return new Checkpoint(Path.of(s.name() + "-synthetic"), "synthetic", t, Map.of("seed", Long.toString(seed)),
                Optional.empty(), Optional.empty(), arena);
    }

    private record Gen(Arena arena, SplittableRandom rnd, Map<String, Tensor> out) {
        /** Uniform values with standard deviation scale/sqrt(cols), so a row has norm about {@code scale}. */
        void matrix(String name, int rows, int cols, double scale) {
            double a = scale * Math.sqrt(3.0 / cols);
            fill(name, -a, a, rows, cols);
        }

        void uniform(String name, double lo, double hi, long... shape) {
            fill(name, lo, hi, shape);
        }

        void constant(String name, float v, long... shape) {
            MemorySegment seg = arena.allocate(4 * Tensor.numel(shape), 64);
            for (long i = 0; i < Tensor.numel(shape); i++) seg.setAtIndex(ValueLayout.JAVA_FLOAT, i, v);
            out.put(name, new Tensor(name, DType.F32, shape, seg));
        }

        private void fill(String name, double lo, double hi, long... shape) {
            long n = Tensor.numel(shape);
            MemorySegment seg = arena.allocate(4 * n, 64);
            for (long i = 0; i < n; i++) seg.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) (lo + (hi - lo) * rnd.nextDouble()));
            out.put(name, new Tensor(name, DType.F32, shape, seg));
        }
    }
}
