package dev.rwkvedge.analysis;

import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which matrices of a checkpoint have a spectrum worth computing, found by BlinkDL name so that every generation
 * (v4 to v7) and every file format is covered by one list:
 * <ul>
 * <li>the block projections att.receptance/key/value/output/gate and ffn.key/value/receptance;</li>
 * <li>v7's LoRA pairs att.w1/w2, a1/a2, v1/v2, g1/g2: both factors and their product "att.a1@a2";</li>
 * <li>v6's decay pair att.time_decay_w1/w2 (factors and product) and the five token-shift pairs: maa_w1 (C x 5D) as
 * one factor, each slice maa_w2[m] (D x C) as a factor, and per mix m in w,k,v,r,g the product of the m-th column
 * block of maa_w1 with maa_w2[m], named "att.time_maa_w1@w2[m]";</li>
 * <li>emb.weight and head.weight (V x C) only when asked for: they are large.</li>
 * </ul>
 * Products ignore the non-linearity some pairs have between the factors (tanh for v7 w and v6's, sigmoid for v7 g):
 * they describe the linear map the pair would be without it.
 */
public final class WeightMatrices {
    static final List<String> PROJECTIONS = List.of("att.receptance", "att.key", "att.value", "att.output",
            "att.gate", "ffn.key", "ffn.value", "ffn.receptance");
    static final List<String> V7_LORAS = List.of("w", "a", "v", "g");
    static final List<String> V6_MIXES = List.of("w", "k", "v", "r", "g");
    private static final Pattern BLOCK = Pattern.compile("blocks\\.(\\d+)\\..*");

    private WeightMatrices() {}

    public static List<WeightMatrix> of(Checkpoint ck, boolean includeEmbeddings) {
        List<WeightMatrix> out = new ArrayList<>();
        if (includeEmbeddings) whole(ck, "emb.weight", -1, "emb.weight", Spectrum.Kind.WEIGHT, out);
        for (int layer : layers(ck)) {
            String b = "blocks." + layer + ".";
            for (String p : PROJECTIONS) whole(ck, b + p + ".weight", layer, p, Spectrum.Kind.WEIGHT, out);
            for (String p : V7_LORAS) pair(ck, b, layer, "att." + p + "1", "att." + p + "2", out);
            pair(ck, b, layer, "att.time_decay_w1", "att.time_decay_w2", out);
            v6TokenShift(ck, b, layer, out);
        }
        if (includeEmbeddings) whole(ck, "head.weight", -1, "head.weight", Spectrum.Kind.WEIGHT, out);
        return out;
    }

    private static TreeSet<Integer> layers(Checkpoint ck) {
        TreeSet<Integer> layers = new TreeSet<>();
        for (String n : ck.tensors().keySet()) {
            Matcher m = BLOCK.matcher(n);
            if (m.matches()) layers.add(Integer.parseInt(m.group(1)));
        }
        return layers;
    }

    private static Optional<MatrixSource> matrix(Checkpoint ck, String tensor) {
        return ck.find(tensor).filter(t -> t.rank() == 2).map(MatrixSource::of);
    }

    private static void whole(Checkpoint ck, String tensor, int layer, String name, Spectrum.Kind kind,
                              List<WeightMatrix> out) {
        matrix(ck, tensor).ifPresent(m -> out.add(new WeightMatrix(name, layer, kind, m, null)));
    }

    private static void pair(Checkpoint ck, String b, int layer, String n1, String n2, List<WeightMatrix> out) {
        Optional<MatrixSource> f1 = matrix(ck, b + n1), f2 = matrix(ck, b + n2);
        if (f1.isEmpty() || f2.isEmpty()) return;
        out.add(new WeightMatrix(n1, layer, Spectrum.Kind.LORA_FACTOR, f1.get(), null));
        out.add(new WeightMatrix(n2, layer, Spectrum.Kind.LORA_FACTOR, f2.get(), null));
        String product = n1 + "@" + n2.substring(n2.lastIndexOf('_') + 1).replace("att.", "");
        out.add(new WeightMatrix(product, layer, Spectrum.Kind.LORA_PRODUCT, f1.get(), f2.get()));
    }

    private static void v6TokenShift(Checkpoint ck, String b, int layer, List<WeightMatrix> out) {
        Optional<MatrixSource> w1 = matrix(ck, b + "att.time_maa_w1");
        Optional<Tensor> w2 = ck.find(b + "att.time_maa_w2").filter(t -> t.rank() == 3);
        if (w1.isEmpty() || w2.isEmpty()) return;
        long[] s = w2.get().shape();
        int mixes = Math.toIntExact(s[0]), d = Math.toIntExact(s[1]), c = Math.toIntExact(s[2]);
        MatrixSource all = w1.get();
        if (mixes != V6_MIXES.size() || all.cols() != mixes * d || all.rows() != c) {
            throw new IllegalArgumentException(b + "att.time_maa_w1/w2: shapes " + all.rows() + "x" + all.cols()
                    + " and " + w2.get().shapeString() + " are not (C, 5D) and (5, D, C)");
        }
        out.add(new WeightMatrix("att.time_maa_w1", layer, Spectrum.Kind.LORA_FACTOR, all, null));
        for (int m = 0; m < mixes; m++) {
            String mix = "[" + V6_MIXES.get(m) + "]";
            MatrixSource slice = new MatrixSource(w2.get(), (long) m * d * c, d, c, c, 0);
            out.add(new WeightMatrix("att.time_maa_w2" + mix, layer, Spectrum.Kind.LORA_FACTOR, slice, null));
            MatrixSource block = new MatrixSource(all.tensor(), 0, c, d, mixes * d, m * d);
            out.add(new WeightMatrix("att.time_maa_w1@w2" + mix, layer, Spectrum.Kind.LORA_PRODUCT, block, slice));
        }
    }
}
