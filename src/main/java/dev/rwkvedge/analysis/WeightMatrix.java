package dev.rwkvedge.analysis;

/**
 * One matrix whose spectrum is wanted: a stored weight or LoRA factor ({@code second} null), or the product of a
 * LoRA pair {@code first · second} (C x D times D x C, BlinkDL's x @ w1 @ w2 order; its transpose W2·W1 in the
 * (out, in) convention has the same singular values).
 */
public record WeightMatrix(String name, int layer, Spectrum.Kind kind, MatrixSource first, MatrixSource second) {

    public WeightMatrix {
        if ((kind == Spectrum.Kind.LORA_PRODUCT) != (second != null)) {
            throw new IllegalArgumentException(name + ": a product needs two factors, anything else one");
        }
        if (second != null && first.cols() != second.rows()) {
            throw new IllegalArgumentException(name + ": factors " + first.rows() + "x" + first.cols() + " and "
                    + second.rows() + "x" + second.cols() + " do not chain");
        }
    }

    public int rows() {
        return first.rows();
    }

    public int cols() {
        return second == null ? first.cols() : second.cols();
    }

    public String key() {
        return Spectrum.key(layer, name);
    }

    /** A rough cost (flops of the decomposition) so that the biggest jobs start first and two threads finish together. */
    long cost() {
        long m = Math.max(rows(), cols()), n = Math.min(rows(), cols());
        if (second != null) {
            long d = first.cols();
            return 4 * (rows() + cols()) * d * d + 10 * d * d * d;
        }
        return SingularValues.usesGram(rows(), cols()) ? m * n * n / 2 + 10 * n * n * n : 4 * m * n * n + 8 * n * n * n;
    }
}
