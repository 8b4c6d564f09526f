package dev.rwkvedge.analysis;

import java.util.Arrays;

/**
 * The singular values of one weight matrix, largest first, always {@code min(rows, cols)} of them (a LoRA product
 * of rank D is padded with exact zeros, so every consumer can rely on that length).
 *
 * @param name   BlinkDL short name without "blocks.N." and ".weight" ("att.key", "att.a1", "att.a1@a2"), or the
 *               full name for matrices outside the blocks ("emb.weight", "head.weight")
 * @param layer  the block index, -1 outside the blocks
 * @param rows   rows of the matrix as the file stores it (PyTorch order)
 * @param cols   columns as the file stores it
 * @param kind   what the matrix is (a plain weight, one factor of a LoRA pair, or the pair's product)
 * @param method how the values were computed (see {@link SingularValues})
 * @param values singular values, descending, non-negative; the stored array itself, shared and not to be modified
 */
public record Spectrum(String name, int layer, int rows, int cols, Kind kind, Method method, float[] values) {

    public enum Kind {
        /** A dense weight used as one matrix (block projections, emb, head). */
        WEIGHT,
        /** One factor of a LoRA-style pair, as stored (v7 w1/w2, a1/a2, v1/v2, g1/g2; v6 maa and decay). */
        LORA_FACTOR,
        /** The C x C matrix a LoRA pair applies when its inner non-linearity (if any) is ignored; rank at most D. */
        LORA_PRODUCT
    }

    public enum Method {
        /** EJML FDRM values-only SVD of the matrix in float32. */
        SVD_F32,
        /** Square roots of the eigenvalues of the double Gram matrix of the short side (rectangular matrices). */
        GRAM_EIGEN_F64,
        /** SVD of R_A R_B^T from the QR factors of both LoRA factors, in double; the remaining values are exactly 0. */
        FACTORED_QR_F64
    }

    public Spectrum {
        if (values.length != Math.min(rows, cols)) {
            throw new IllegalArgumentException(name + ": " + values.length + " singular values for a " + rows + "x" + cols
                    + " matrix");
        }
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[i - 1]) throw new IllegalArgumentException(name + ": singular values not descending");
        }
    }

    /** The key the studio and the cache use: "L3 att.key", or the bare name outside the blocks. */
    public String key() {
        return key(layer, name);
    }

    public static String key(int layer, String name) {
        return layer < 0 ? name : "L" + layer + " " + name;
    }

    public int size() {
        return values.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Spectrum s && s.name.equals(name) && s.layer == layer && s.rows == rows && s.cols == cols
                && s.kind == kind && s.method == method && Arrays.equals(s.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * key().hashCode() + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return key() + " " + rows + "x" + cols + " " + kind + " (" + values.length + " values)";
    }
}
