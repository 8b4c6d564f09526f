package dev.rwkvedge.model;

import dev.rwkvedge.io.Generation;
import dev.rwkvedge.runtime.ModelShape;

/**
 * Shapes and settings of one RWKV model.
 *
 * @param headSize      S (v5 to v7), 0 for v4
 * @param heads         H, with H * S = embd
 * @param loraDims      v6: {maa D, decay D2}; v7: {w, a, v, g}; empty otherwise
 * @param groupNormEps  ln_x epsilon on the raw values (BlinkDL 64e-5; rwkv.cpp uses 1e-5 for v5)
 */
public record ModelConfig(Generation generation, int layers, int embd, int vocab, int ffn, int headSize, int heads,
                          int[] loraDims, float groupNormEps, float layerNormEps, boolean hasLn0, boolean hasHeadBias) {

    public static final float BLINKDL_GROUP_NORM_EPS = 64e-5f;
    public static final float LAYER_NORM_EPS = 1e-5f;

    public ModelConfig {
        loraDims = loraDims.clone();
    }

    public ModelConfig withGroupNormEps(float eps) {
        return new ModelConfig(generation, layers, embd, vocab, ffn, headSize, heads, loraDims, eps, layerNormEps,
                hasLn0, hasHeadBias);
    }

    /** The part of this configuration the runtime needs. */
    public ModelShape shape() {
        return new ModelShape(layers, embd, vocab, ffn, heads, headSize, generation != Generation.V4, layerNormEps,
                hasLn0, hasHeadBias);
    }

    @Override
    public int[] loraDims() {
        return loraDims.clone();
    }
}
