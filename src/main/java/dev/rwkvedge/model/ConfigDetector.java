package dev.rwkvedge.model;

import dev.rwkvedge.io.Generation;

import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.io.ModelFormatException;
import dev.rwkvedge.tensor.Tensor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads generation and sizes off the canonical tensor names and shapes, as rwkv.cpp does. */
public final class ConfigDetector {
    /** Files we write carry the ln_x epsilon the model was run with, so a reload computes the same numbers. */
    public static final String GROUP_NORM_EPS_KEY = "rwkv_edge.group_norm_eps";
    private static final Pattern BLOCK = Pattern.compile("^blocks\\.(\\d+)\\.");
    /** Published RWKV models have at most a few dozen layers; a larger index is a damaged name. */
    static final int MAX_LAYERS = 4096;

    private ConfigDetector() {}

    public static Generation generation(Checkpoint ck) throws ModelFormatException {
        if (ck.find("blocks.0.att.r_k").isPresent()) return Generation.V7;
        if (ck.find("blocks.0.att.time_maa_x").isPresent()) return Generation.V6;
        if (ck.find("blocks.0.att.ln_x.weight").isPresent()) {
            return StoredProjection.exists(ck, "blocks.0.att.gate.weight") ? Generation.V5_2 : Generation.V5_1;
        }
        if (ck.find("blocks.0.att.time_decay").isPresent()) return Generation.V4;
        throw new ModelFormatException(ck.path(), "not an RWKV model: no blocks.0.att tensors that identify a "
                + "generation (found " + ck.tensors().size() + " tensors" + firstNames(ck) + ")");
    }

    /** Layer 0's channel mix stored by neuron in a compressed file (see compress.CompressedParts). */
    private static final String NEURON_BUNDLES = "rwkv_edge.neurons.0";

    public static ModelConfig detect(Checkpoint ck) throws ModelFormatException {
        Generation g = generation(ck);
        Tensor emb = ck.require("emb.weight");
        if (emb.rank() != 2) throw new ModelFormatException(ck.path(), "emb.weight has shape " + emb.shapeString()
                + ", expected (vocabulary, embedding)");
        int V = dim(ck, "emb.weight", 0), C = dim(ck, "emb.weight", 1);
        int layers = 0;
        for (String name : ck.tensors().keySet()) {
            Matcher m = BLOCK.matcher(name);
            if (!m.find()) continue;
            String index = m.group(1);
            if (index.length() > 4 || Integer.parseInt(index) >= MAX_LAYERS) {
                throw new ModelFormatException(ck.path(), "tensor " + name + " has layer index " + index + ", beyond " + (MAX_LAYERS - 1));
            }
            layers = Math.max(layers, Integer.parseInt(index) + 1);
        }
        // a compressed file may store the channel mix as neuron bundles (one row per neuron) instead of K and V
        int F = ck.find("blocks.0.ffn.key.weight").isEmpty() && ck.find(NEURON_BUNDLES).isPresent()
                ? dim(ck, NEURON_BUNDLES, 0) : dim(ck, "blocks.0.ffn.key.weight", 0);
        int H, N;
        int[] lora = new int[0];
        switch (g) {
            case V4 -> {
                H = 0;
                N = 0;
            }
            case V5_1 -> {
                H = (int) ck.require("blocks.0.att.time_decay").numel();
                N = C / Math.max(H, 1);
            }
            case V5_2 -> {
                H = dim(ck, "blocks.0.att.time_decay", 0);
                N = C / Math.max(H, 1);
            }
            case V6 -> {
                H = dim(ck, "blocks.0.att.time_faaaa", 0);
                N = C / Math.max(H, 1);
                lora = new int[] {dim(ck, "blocks.0.att.time_maa_w1", 1) / 5, dim(ck, "blocks.0.att.time_decay_w1", 1)};
            }
            case V7 -> {
                Tensor rk = ck.require("blocks.0.att.r_k");
                H = dim(ck, "blocks.0.att.r_k", 0);
                N = (int) (rk.numel() / Math.max(H, 1));
                String vl = layers > 1 ? "blocks.1.att.v1" : "blocks.0.att.v1";
                int vDim = ck.find(vl).isPresent() || StoredProjection.exists(ck, vl + StoredProjection.AS_PROJECTION)
                        ? dim1(ck, vl) : 0;
                lora = new int[] {dim1(ck, "blocks.0.att.w1"), dim1(ck, "blocks.0.att.a1"), vDim,
                        dim1(ck, "blocks.0.att.g1")};
            }
            default -> throw new IllegalStateException();
        }
        if (g != Generation.V4 && (H <= 0 || H * N != C)) {
            throw new ModelFormatException(ck.path(), "heads " + H + " x head size " + N
                    + " does not match the embedding size " + C);
        }
        float gnEps = ck.groupNormEps().orElse(ModelConfig.BLINKDL_GROUP_NORM_EPS);
        String stored = ck.metadata().get(GROUP_NORM_EPS_KEY);
        if (stored != null) {
            try {
                gnEps = Float.parseFloat(stored);
            } catch (NumberFormatException e) {
                throw new ModelFormatException(ck.path(), "metadata " + GROUP_NORM_EPS_KEY + " is not a number: "
                        + ModelFormatException.shown(stored));
            }
            if (!(gnEps > 0) || Float.isInfinite(gnEps)) {
                throw new ModelFormatException(ck.path(), "metadata " + GROUP_NORM_EPS_KEY + " is " + stored + "; it must be a positive number");
            }
        }
        return new ModelConfig(g, layers, C, V, F, N, H, lora, gnEps, ModelConfig.LAYER_NORM_EPS,
                pair(ck, "blocks.0.ln0.weight", "blocks.0.ln0.bias"), ck.find("head.bias").isPresent());
    }

    /**
     * Whether an optional pair of tensors is there; one without the other is damage (a renamed tensor would otherwise
     * silently drop a layer norm).
     */
    private static boolean pair(Checkpoint ck, String a, String b) throws ModelFormatException {
        boolean hasA = ck.find(a).isPresent(), hasB = ck.find(b).isPresent();
        if (hasA != hasB) {
            throw new ModelFormatException(ck.path(), "tensor " + (hasA ? a : b) + " without " + (hasA ? b : a));
        }
        return hasA;
    }

    /** D of a (C, D) LoRA factor, also when a compressed file stores it as a (D, C) projection. */
    private static int dim1(Checkpoint ck, String name) throws ModelFormatException {
        if (ck.find(name).isEmpty()) {
            int d = StoredProjection.outDim(ck, name + StoredProjection.AS_PROJECTION);
            if (d > 0) return d;
        }
        Tensor t = ck.require(name);
        if (t.rank() != 2) throw new ModelFormatException(ck.path(), name + " has shape " + t.shapeString()
                + ", expected a (C, D) matrix");
        return dim(ck, name, 1);
    }

    /** One axis of a tensor as a size: the tensor must have that axis, and it must be a positive int. */
    private static int dim(Checkpoint ck, String name, int axis) throws ModelFormatException {
        Tensor t = ck.require(name);
        if (t.rank() <= axis) {
            throw new ModelFormatException(ck.path(), "tensor " + name + " has shape " + t.shapeString() + ", which has no axis " + axis);
        }
        long d = t.shape()[axis];
        if (d <= 0 || d > Integer.MAX_VALUE) {
            throw new ModelFormatException(ck.path(), "tensor " + name + " has shape " + t.shapeString() + ": axis " + axis + " cannot be a model size");
        }
        return (int) d;
    }

    private static String firstNames(Checkpoint ck) {
        var names = ck.tensors().keySet().stream().limit(3).toList();
        return names.isEmpty() ? "" : ", e.g. " + String.join(", ", names);
    }
}
