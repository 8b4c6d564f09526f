package dev.rwkvedge.compress.sparse;

/** The union of the MLP's and the 1-bit predictor's active sets: each catches neurons the other misses. */
public final class EnsemblePredictor implements SparsityPredictor {
    private final MlpPredictor mlp;
    private final OneBitPredictor oneBit;

    public EnsemblePredictor(MlpPredictor mlp, OneBitPredictor oneBit) {
        if (mlp.inputs() != oneBit.inputs() || mlp.neurons() != oneBit.neurons()) {
            throw new IllegalArgumentException("ensemble members disagree on shape");
        }
        this.mlp = mlp;
        this.oneBit = oneBit;
    }

    public MlpPredictor mlp() {
        return mlp;
    }

    public OneBitPredictor oneBit() {
        return oneBit;
    }

    @Override
    public int inputs() {
        return mlp.inputs();
    }

    @Override
    public int neurons() {
        return mlp.neurons();
    }

    @Override
    public EnsemblePredictor atThreshold(double threshold) {
        return new EnsemblePredictor(mlp.atThreshold(threshold), oneBit);
    }

    @Override
    public int predict(float[] x, int xOff, int[] active) {
        int F = neurons();
        TokenArrays arrays = TokenArrays.get();
        int[] a = arrays.byMlp(F), b = arrays.byOneBit(F);
        int na = mlp.predict(x, xOff, a), nb = oneBit.predict(x, xOff, b);
        int i = 0, j = 0, n = 0;
        while (i < na || j < nb) {
            int v = j >= nb || (i < na && a[i] < b[j]) ? a[i] : b[j];
            if (i < na && a[i] == v) i++;
            if (j < nb && b[j] == v) j++;
            active[n++] = v;
        }
        return n;
    }

    @Override
    public long parameters() {
        return mlp.parameters() + oneBit.parameters();
    }

    @Override
    public long residentBytes() {
        return mlp.residentBytes() + oneBit.residentBytes();
    }

    @Override
    public String toString() {
        return mlp + " OR " + oneBit;
    }
}
