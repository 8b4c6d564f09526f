package dev.rwkvedge.io;

import dev.rwkvedge.tensor.Tensor;
import java.util.function.DoubleUnaryOperator;

/**
 * rwkv.cpp stores v4/v5 decays pre-computed (README §1.2). Both directions are evaluated in double and rounded once to
 * float, which gives the float32 nearest the exact value: what BlinkDL's f32 files hold and what rwkv.cpp stored.
 */
final class Decays {
    private Decays() {}

    static Tensor fromStored(Tensor t, String name, Generation gen, long... shape) {
        boolean bonus = name.endsWith("time_first");
        DoubleUnaryOperator f = bonus ? Math::log : gen == Generation.V4 ? d -> Math.log(-d) : d -> Math.log(-Math.log(d));
        return map(t, name, f, shape);
    }

    static Tensor toStored(Tensor t, String name, Generation gen, long... shape) {
        boolean bonus = name.endsWith("time_first");
        DoubleUnaryOperator f = bonus ? Math::exp : gen == Generation.V4 ? w -> -Math.exp(w) : w -> Math.exp(-Math.exp(w));
        return map(t, name, f, shape);
    }

    private static Tensor map(Tensor t, String name, DoubleUnaryOperator f, long... shape) {
        float[] v = t.toFloats();
        for (int i = 0; i < v.length; i++) v[i] = (float) f.applyAsDouble(v[i]);
        return Tensor.ofFloats(name, v, shape);
    }
}
