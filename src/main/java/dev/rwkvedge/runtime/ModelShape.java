package dev.rwkvedge.runtime;

/**
 * What the runtime needs to know about a model's shape, independent of where it was read from (the model package
 * derives it from a checkpoint's configuration).
 *
 * @param matrixState true for v5 to v7 (an H x S x S WKV matrix per layer), false for v4's (aa, bb, pp) vectors
 * @param headSize    S, 0 for v4
 */
public record ModelShape(int layers, int embd, int vocab, int ffn, int heads, int headSize, boolean matrixState,
                         float layerNormEps, boolean hasLn0, boolean hasHeadBias) {}
