package dev.rwkvedge.model;

import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Random-weight RWKV-7 checkpoints with the shapes of real ones, for benchmarks at a real size. The values follow
 * the scale of a trained model (rows of norm about 1, decays in the usual range) so the numbers stay finite. The
 * large matrices (embedding, head, the time mix's r/k/v/o and the channel mix) are generated directly in their
 * storage type (F32, F16 or Q8_0) in native memory; vectors and the small LoRA factors stay F32, as converters
 * leave them. Every value comes from a hash of (seed, tensor name, index): four 16-bit uniforms per hash, or eight
 * signed bytes for Q8_0; so tensors are generated in parallel and the same seed always gives the same model.
 */
public final class SyntheticModel {
    /** Shapes of a published RWKV-7 size, and the storage type of its large matrices. */
    public record Shape(String name, int layers, int embd, int headSize, int ffn, int vocab, int wDim, int aDim,
                        int vDim, int gDim, DType type) {
        public Shape(String name, int layers, int embd, int headSize, int ffn, int vocab, int wDim, int aDim, int vDim,
                     int gDim) {
            this(name, layers, embd, headSize, ffn, vocab, wDim, aDim, vDim, gDim, DType.F32);
        }

        public Shape in(DType t) {
            return new Shape(name, layers, embd, headSize, ffn, vocab, wDim, aDim, vDim, gDim, t);
        }
    }

    public static final Shape RWKV7_0B1 = new Shape("rwkv7-0.1b", 12, 768, 64, 3072, 65536, 64, 64, 32, 128);
    /** BlinkDL's LoRA sizes for C = 1024 and 2048 (RWKV-7's formulas: 1.8 sqrt(C), 1.3 sqrt(C), 0.6 C^0.8 in 32s). */
    public static final Shape RWKV7_0B4 = new Shape("rwkv7-0.4b", 24, 1024, 64, 4096, 65536, 64, 64, 32, 160);
    public static final Shape RWKV7_1B5 = new Shape("rwkv7-1.5b", 24, 2048, 64, 8192, 65536, 96, 96, 64, 256);
    private static final List<Shape> KNOWN = List.of(RWKV7_0B1, RWKV7_0B4, RWKV7_1B5);
    private static final List<DType> TYPES = List.of(DType.F32, DType.F16, DType.Q8_0);

    private SyntheticModel() {}

    /** "rwkv7-0.1b", or with a storage type: "rwkv7-1.5b:f16", "rwkv7-0.4b:q8_0". */
    public static Shape shape(String spec) {
        String[] parts = spec.split(":", -1);
        String names = String.join(", ", KNOWN.stream().map(Shape::name).toList());
        Shape s = KNOWN.stream().filter(k -> k.name().equals(parts[0])).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown synthetic shape '" + parts[0] + "' (known: " + names + ")"));
        if (parts.length == 1) return s;
        DType t = TYPES.stream().filter(d -> d.name().equalsIgnoreCase(parts[1])).findFirst().orElse(null);
        if (parts.length > 2 || t == null) {
            throw new IllegalArgumentException("unknown synthetic storage type in '" + spec + "' (known: "
                    + String.join(", ", TYPES.stream().map(d -> d.name().toLowerCase(Locale.ROOT)).toList()) + ")");
        }
        return s.in(t);
    }

    /** The model with every tensor generated (in parallel, largest first, so that the threads finish together). */
    public static Checkpoint rwkv7(Shape s, long seed) {
        List<Spec> specs = plan(s);
        Checkpoint ck = layout(s, seed, specs);
        try {
            specs.stream().sorted(Comparator.comparingLong((Spec x) -> -x.bytes())).parallel()
                    .forEach(x -> x.fill(ck.tensors().get(x.name).data(), seed));
        } catch (RuntimeException | OutOfMemoryError e) {
            ck.close();
            throw e;
        }
        return ck;
    }

    /**
     * The model's names, storage types and shapes over memory that is reserved but never touched (so every value
     * reads zero): what {@code info} needs, at no cost in time or resident memory even at 1.5B.
     */
    public static Checkpoint layout(Shape s) {
        return layout(s, 1, plan(s));
    }

    private static Checkpoint layout(Shape s, long seed, List<Spec> specs) {
        Arena arena = Arena.ofShared();
        Map<String, Tensor> t = new LinkedHashMap<>();
        try {
            for (Spec x : specs) t.put(x.name, new Tensor(x.name, x.type, x.shape, LazyPages.allocate(arena, x.bytes())));
        } catch (RuntimeException | OutOfMemoryError e) {
            arena.close();
            throw e;
        }
        String label = s.name() + (s.type() == DType.F32 ? "" : "-" + s.type().name().toLowerCase(Locale.ROOT));
        return new Checkpoint(Path.of(label + "-synthetic"), "synthetic", t, Map.of("seed", Long.toString(seed)),
                Optional.empty(), Optional.empty(), arena);
    }

    /** The tensors to generate, in checkpoint order. */
    private static List<Spec> plan(Shape s) {
        int C = s.embd(), H = C / s.headSize();
        Plan p = new Plan(s.type());
        p.matrix("emb.weight", s.vocab(), C, 1.0, true);
        p.constant("blocks.0.ln0.weight", 1f, C);
        p.constant("blocks.0.ln0.bias", 0f, C);
        for (int l = 0; l < s.layers(); l++) {
            String b = "blocks." + l + ".";
            for (String ln : new String[] {"ln1", "ln2"}) {
                p.constant(b + ln + ".weight", 1f, C);
                p.constant(b + ln + ".bias", 0f, C);
            }
            for (String x : new String[] {"x_r", "x_w", "x_k", "x_v", "x_a", "x_g"}) p.uniform(b + "att." + x, 0, 1, 1, 1, C);
            p.uniform(b + "att.w0", -6, -1, 1, 1, C);
            p.matrix(b + "att.w1", C, s.wDim(), 0.1, false);
            p.matrix(b + "att.w2", s.wDim(), C, 0.1, false);
            p.uniform(b + "att.a0", -1, 1, 1, 1, C);
            p.matrix(b + "att.a1", C, s.aDim(), 0.1, false);
            p.matrix(b + "att.a2", s.aDim(), C, 0.1, false);
            if (l > 0) {
                p.uniform(b + "att.v0", -1, 1, 1, 1, C);
                p.matrix(b + "att.v1", C, s.vDim(), 0.1, false);
                p.matrix(b + "att.v2", s.vDim(), C, 0.1, false);
            }
            p.matrix(b + "att.g1", C, s.gDim(), 0.1, false);
            p.matrix(b + "att.g2", s.gDim(), C, 0.1, false);
            p.uniform(b + "att.k_k", 0.5, 1.5, 1, 1, C);
            p.uniform(b + "att.k_a", 0.5, 1.5, 1, 1, C);
            p.uniform(b + "att.r_k", -0.5, 0.5, H, s.headSize());
            for (String w : new String[] {"receptance", "key", "value", "output"}) {
                p.matrix(b + "att." + w + ".weight", C, C, 1.0, true);
            }
            p.constant(b + "att.ln_x.weight", 1f, C);
            p.constant(b + "att.ln_x.bias", 0f, C);
            p.uniform(b + "ffn.x_k", 0, 1, 1, 1, C);
            p.matrix(b + "ffn.key.weight", s.ffn(), C, 1.0, true);
            p.matrix(b + "ffn.value.weight", C, s.ffn(), 1.0, true);
        }
        p.constant("ln_out.weight", 1f, C);
        p.constant("ln_out.bias", 0f, C);
        p.matrix("head.weight", s.vocab(), C, 1.0, true);
        return p.specs;
    }

    /** Collects the tensor specifications in checkpoint order. */
    private static final class Plan {
        final List<Spec> specs = new ArrayList<>();
        final DType large;

        Plan(DType large) {
            this.large = large;
        }

        /** Uniform values with standard deviation scale/sqrt(cols), so a row has norm about {@code scale}. */
        void matrix(String name, int rows, int cols, double scale, boolean big) {
            double a = scale * Math.sqrt(3.0 / cols);
            specs.add(new Spec(name, big ? large : DType.F32, -a, a, rows, cols));
        }

        void uniform(String name, double lo, double hi, long... shape) {
            specs.add(new Spec(name, DType.F32, lo, hi, shape));
        }

        void constant(String name, float v, long... shape) {
            specs.add(new Spec(name, DType.F32, v, v, shape));
        }
    }

    private record Spec(String name, DType type, double lo, double hi, long... shape) {
        long bytes() {
            return type.byteSize(Tensor.numel(shape));
        }

        /**
         * Writes the tensor's values into seg. F32 and F16 values are uniform in [lo, hi] at 16-bit resolution, four
         * per hash; Q8_0 blocks get the scale max(|lo|, |hi|) / 127 and eight uniform signed bytes per hash.
         */
        void fill(MemorySegment seg, long seed) {
            long n = Tensor.numel(shape);
            long key = mix(seed ^ name.hashCode() * 0x9E3779B97F4A7C15L);
            float width = (float) ((hi - lo) / 65536), base = (float) lo;
            switch (type) {
                case F32 -> {
                    for (long i = 0; i < n; i += 4) {
                        long bits = mix(key + (i >>> 2));
                        for (int k = 0; k < 4 && i + k < n; k++, bits >>>= 16) {
                            seg.setAtIndex(ValueLayout.JAVA_FLOAT, i + k, base + width * (bits & 0xFFFF));
                        }
                    }
                }
                case F16 -> {
                    long i = 0;
                    for (; i + 4 <= n; i += 4) {
                        long bits = mix(key + (i >>> 2)), four = 0;
                        for (int k = 0; k < 4; k++, bits >>>= 16) {
                            four |= (Float.floatToFloat16(base + width * (bits & 0xFFFF)) & 0xFFFFL) << (16 * k);
                        }
                        seg.set(ValueLayout.JAVA_LONG_UNALIGNED, 2 * i, four);
                    }
                    for (long bits = mix(key + (i >>> 2)); i < n; i++, bits >>>= 16) {
                        seg.setAtIndex(ValueLayout.JAVA_SHORT, i, Float.floatToFloat16(base + width * (bits & 0xFFFF)));
                    }
                }
                case Q8_0 -> {
                    short d = Float.floatToFloat16((float) (Math.max(Math.abs(lo), Math.abs(hi)) / 127));
                    for (long blk = 0, off = 0; blk < n / 32; blk++, off += 34) {
                        seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, off, d);
                        for (int j = 0; j < 4; j++) {
                            long bits = mix(key + blk * 4 + j);
                            // a byte -128 (0x80) lies outside [-127, 127]: clearing its top bit makes it 0
                            long lowSet = ((bits & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL) & 0x8080808080808080L;
                            long minus128 = bits & 0x8080808080808080L & ~lowSet;
                            seg.set(ValueLayout.JAVA_LONG_UNALIGNED, off + 2 + 8 * j, bits & ~minus128);
                        }
                    }
                }
                default -> throw new IllegalArgumentException("no synthetic " + type + " tensors");
            }
        }
    }

    /** SplitMix64's finaliser: a fast, well-mixed hash of a counter. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
