package dev.rwkvedge.io;

import dev.rwkvedge.tensor.Tensor;

/**
 * rwkv.cpp stores v4/v5 decays pre-computed (README §1.2). Both directions are evaluated in double and rounded once to
 * float, which gives the float32 nearest the exact value: what BlinkDL's f32 files hold and what rwkv.cpp stored.
 */
final class Decays {
    private Decays() {}

    static Tensor fromStored(Tensor t, String name, Generation gen, long... shape) {
        float[] v = t.toFloats();
        boolean bonus = name.endsWith("time_first");
        for (int i = 0; i < v.length; i++) {
            double d = v[i];
            v[i] = (float) (bonus ? Math.log(d) : gen == Generation.V4 ? Math.log(-d) : Math.log(-Math.log(d)));
        }
        return Tensor.ofFloats(name, v, shape);
    }

    static Tensor toStored(Tensor t, String name, Generation gen, long... shape) {
        float[] v = t.toFloats();
        boolean bonus = name.endsWith("time_first");
        for (int i = 0; i < v.length; i++) {
            double w = v[i];
            v[i] = (float) (bonus ? Math.exp(w) : gen == Generation.V4 ? -Math.exp(w) : Math.exp(-Math.exp(w)));
        }
        return Tensor.ofFloats(name, v, shape);
    }
}
