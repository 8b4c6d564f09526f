package dev.rwkvedge.model;

import dev.rwkvedge.io.Generation;

import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.io.ModelFormatException;
import dev.rwkvedge.runtime.Block;
import dev.rwkvedge.runtime.ChannelMix;
import dev.rwkvedge.runtime.DenseChannelMix;
import dev.rwkvedge.runtime.DenseEmbedding;
import dev.rwkvedge.runtime.DenseHead;
import dev.rwkvedge.runtime.DenseProjection;
import dev.rwkvedge.runtime.Projection;
import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.runtime.TimeMix;
import dev.rwkvedge.runtime.TimeMixV4;
import dev.rwkvedge.runtime.TimeMixV5;
import dev.rwkvedge.runtime.TimeMixV7;
import dev.rwkvedge.runtime.TokenShiftV6;
import dev.rwkvedge.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** Builds a runnable model from a checkpoint's canonical (BlinkDL) tensors, checking every shape on the way. */
public final class ModelLoader {
    private final Checkpoint ck;
    private final ModelConfig cfg;

    private ModelLoader(Checkpoint ck, ModelConfig cfg) {
        this.ck = ck;
        this.cfg = cfg;
    }

    public static RwkvModel load(Checkpoint ck) throws ModelFormatException {
        return load(ck, ConfigDetector.detect(ck));
    }

    public static RwkvModel load(Checkpoint ck, ModelConfig cfg) throws ModelFormatException {
        return new ModelLoader(ck, cfg).build();
    }

    private RwkvModel build() throws ModelFormatException {
        int C = cfg.embd(), V = cfg.vocab();
        Tensor emb = tensor("emb.weight", V, C);
        float[] ln0W = null, ln0B = null;
        if (cfg.hasLn0()) {
            ln0W = vec("blocks.0.ln0.weight", C);
            ln0B = vec("blocks.0.ln0.bias", C);
        }
        List<Block> blocks = new ArrayList<>();
        for (int l = 0; l < cfg.layers(); l++) {
            String b = "blocks." + l + ".";
            blocks.add(new Block(vec(b + "ln1.weight", C), vec(b + "ln1.bias", C), vec(b + "ln2.weight", C),
                    vec(b + "ln2.bias", C), timeMix(l, b), channelMix(l, b)));
        }
        float[] headBias = cfg.hasHeadBias() ? vec("head.bias", V) : null;
        Projection head = StoredProjection.read(ck, "head.weight", V, C, headBias);
        return new RwkvModel(cfg.shape(), new DenseEmbedding(emb), ln0W, ln0B, blocks, vec("ln_out.weight", C),
                vec("ln_out.bias", C), new DenseHead(head));
    }

    private TimeMix timeMix(int l, String b) throws ModelFormatException {
        int C = cfg.embd(), N = cfg.headSize(), H = cfg.heads();
        Map<String, Projection> p = new LinkedHashMap<>();
        p.put("att.receptance", proj(b + "att.receptance.weight", C, C));
        p.put("att.key", proj(b + "att.key.weight", C, C));
        p.put("att.value", proj(b + "att.value.weight", C, C));
        switch (cfg.generation()) {
            case V4 -> {
                p.put("att.output", proj(b + "att.output.weight", C, C));
                float[] decay = vec(b + "att.time_decay", C);
                for (int i = 0; i < C; i++) decay[i] = (float) -Math.exp(decay[i]);
                return new TimeMixV4(C, vec(b + "att.time_mix_k", C), vec(b + "att.time_mix_v", C),
                        vec(b + "att.time_mix_r", C), vec(b + "att.time_first", C), decay, p);
            }
            case V5_1, V5_2 -> {
                boolean v52 = cfg.generation() == Generation.V5_2;
                if (v52) p.put("att.gate", proj(b + "att.gate.weight", C, C));
                p.put("att.output", proj(b + "att.output.weight", C, C));
                float[] decay = v52 ? vec(b + "att.time_decay", C) : perHead(vec(b + "att.time_decay", H), N);
                for (int i = 0; i < C; i++) decay[i] = (float) Math.exp(-Math.exp(decay[i]));
                float[] bonus;
                if (v52) {
                    bonus = vec(b + "att.time_faaaa", C);
                } else {
                    bonus = perHead(vec(b + "att.time_first", H), N);
                    for (int i = 0; i < C; i++) bonus[i] = (float) Math.exp(bonus[i]);
                }
                float[][] mixes = {vec(b + "att.time_mix_r", C), vec(b + "att.time_mix_k", C),
                        vec(b + "att.time_mix_v", C), v52 ? vec(b + "att.time_mix_g", C) : null};
                return new TimeMixV5(C, N, mixes, decay, bonus, vec(b + "att.ln_x.weight", C),
                        vec(b + "att.ln_x.bias", C), cfg.groupNormEps(), v52, null, p);
            }
            case V6 -> {
                p.put("att.gate", proj(b + "att.gate.weight", C, C));
                p.put("att.output", proj(b + "att.output.weight", C, C));
                int D = cfg.loraDims()[0], D2 = cfg.loraDims()[1];
                Projection w1 = transposed(b + "att.time_maa_w1", C, 5 * D);
                Tensor w2 = tensor(b + "att.time_maa_w2", 5, D, C);
                long partBytes = w2.data().byteSize() / 5;
                Projection[] w2s = new Projection[5];
                for (int j = 0; j < 5; j++) {
                    w2s[j] = DenseProjection.transposed(new Tensor(w2.name() + "[" + j + "]", w2.dtype(),
                            new long[] {D, C}, w2.data().asSlice(j * partBytes, partBytes)));
                }
                float[][] maa = {vec(b + "att.time_maa_x", C), vec(b + "att.time_maa_w", C),
                        vec(b + "att.time_maa_k", C), vec(b + "att.time_maa_v", C), vec(b + "att.time_maa_r", C),
                        vec(b + "att.time_maa_g", C)};
                TokenShiftV6 shift = new TokenShiftV6(C, maa, w1, w2s, transposed(b + "att.time_decay_w1", C, D2),
                        transposed(b + "att.time_decay_w2", D2, C));
                return new TimeMixV5(C, N, null, vec(b + "att.time_decay", C), vec(b + "att.time_faaaa", C),
                        vec(b + "att.ln_x.weight", C), vec(b + "att.ln_x.bias", C), cfg.groupNormEps(), true, shift,
                        p);
            }
            case V7 -> {
                int[] d = cfg.loraDims();
                float[] outBias = ck.find(b + "att.output.bias").isPresent() ? vec(b + "att.output.bias", C) : null;
                p.put("att.output", StoredProjection.read(ck, b + "att.output.weight", C, C, outBias));
                p.put("att.w1", transposed(b + "att.w1", C, d[0]));
                p.put("att.w2", transposed(b + "att.w2", d[0], C));
                p.put("att.a1", transposed(b + "att.a1", C, d[1]));
                p.put("att.a2", transposed(b + "att.a2", d[1], C));
                float[] v0 = null;
                if (l > 0) {
                    p.put("att.v1", transposed(b + "att.v1", C, d[2]));
                    p.put("att.v2", transposed(b + "att.v2", d[2], C));
                    v0 = vec(b + "att.v0", C);
                }
                p.put("att.g1", transposed(b + "att.g1", C, d[3]));
                p.put("att.g2", transposed(b + "att.g2", d[3], C));
                float[][] mixes = {vec(b + "att.x_r", C), vec(b + "att.x_w", C), vec(b + "att.x_k", C),
                        vec(b + "att.x_v", C), vec(b + "att.x_a", C), vec(b + "att.x_g", C)};
                return new TimeMixV7(C, N, mixes, vec(b + "att.w0", C), vec(b + "att.a0", C), v0,
                        vec(b + "att.k_k", C), vec(b + "att.k_a", C), vec(b + "att.r_k", C),
                        vec(b + "att.ln_x.weight", C), vec(b + "att.ln_x.bias", C), cfg.groupNormEps(), p);
            }
            default -> throw new IllegalStateException();
        }
    }

    private ChannelMix channelMix(int l, String b) throws ModelFormatException {
        int C = cfg.embd(), F = cfg.ffn();
        float[] mixK = vec(b + switch (cfg.generation()) {
            case V4, V5_1, V5_2 -> "ffn.time_mix_k";
            case V6 -> "ffn.time_maa_k";
            case V7 -> "ffn.x_k";
        }, C);
        float[] mixR = switch (cfg.generation()) {
            case V4, V5_1, V5_2 -> vec(b + "ffn.time_mix_r", C);
            case V6 -> vec(b + "ffn.time_maa_r", C);
            case V7 -> null;
        };
        boolean lerpFromPrev = cfg.generation() == Generation.V6 || cfg.generation() == Generation.V7;
        Projection receptance = mixR == null ? null : proj(b + "ffn.receptance.weight", C, C);
        for (PartRestorer r : ServiceLoader.load(PartRestorer.class)) {
            ChannelMix stored = r.channelMix(ck, l, mixK, mixR, lerpFromPrev, receptance);
            if (stored != null) return stored;
        }
        return new DenseChannelMix(C, mixK, mixR, lerpFromPrev, proj(b + "ffn.key.weight", F, C),
                proj(b + "ffn.value.weight", C, F), receptance);
    }

    /** The tensor, checked to have exactly these dimensions. */
    private Tensor tensor(String name, long... dims) throws ModelFormatException {
        Tensor t = ck.require(name);
        if (!java.util.Arrays.equals(t.shape(), dims)) {
            throw new ModelFormatException(ck.path(), "tensor " + name + " has shape " + t.shapeString()
                    + ", expected " + java.util.Arrays.toString(dims) + " for a " + cfg.generation() + " model with "
                    + "embedding " + cfg.embd());
        }
        return t;
    }

    /** A vector of n elements, whatever singleton axes the file gives it ((1,1,C), (C,1,1), (H,S), ...). */
    private float[] vec(String name, int n) throws ModelFormatException {
        Tensor t = ck.require(name);
        if (t.numel() != n) {
            throw new ModelFormatException(ck.path(), "tensor " + name + " has shape " + t.shapeString() + " ("
                    + t.numel() + " values), expected " + n);
        }
        return t.toFloats();
    }

    private Projection proj(String name, int out, int in) throws ModelFormatException {
        return StoredProjection.read(ck, name, out, in, null);
    }

    /** A (rows, cols) checkpoint matrix used as x @ M: the projection M^T (cols x rows) over M's stored bytes. */
    private Projection transposed(String name, int rows, int cols) throws ModelFormatException {
        String stored = name + StoredProjection.AS_PROJECTION;
        if (ck.find(name).isEmpty() && StoredProjection.exists(ck, stored)) {
            return StoredProjection.read(ck, stored, cols, rows, null);
        }
        return DenseProjection.transposed(tensor(name, rows, cols));
    }

    /** The transpose of a row-major (rows x cols) matrix. */
    public static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
        return t;
    }

    private static float[] perHead(float[] h, int N) {
        float[] c = new float[h.length * N];
        for (int i = 0; i < c.length; i++) c[i] = h[i / N];
        return c;
    }
}
