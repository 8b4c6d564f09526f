package dev.rwkvedge.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rwkvedge.Reference;
import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.io.Checkpoints;
import dev.rwkvedge.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Spectra against an independent double-precision SVD of matrices read and multiplied here, not by the analysis. */
class SpectraTest {

    /** Every matrix of v5.2 and v7; of v4 and the larger v6 model, emb, head and the first layer (to stay fast). */
    @ParameterizedTest
    @CsvSource({"tiny-rwkv-5v2-730K-FP32.bin, 99", "tiny-rwkv-7v0-834K-FP32.bin, 99", "tiny-rwkv-6v0-3m-Q5_1.bin, 0",
            "tiny-rwkv-4v0-660K-FP32.bin, 0"})
    void everyMatrixAgreesWithDoubleSvd(String file, int lastLayer) throws Exception {
        try (Checkpoint ck = Checkpoints.open(Reference.file("rwkv.cpp/tests/" + file))) {
            AtomicLong last = new AtomicLong();
            ModelSpectra spectra = SpectraAnalyzer.compute(ck, true, 2, (done, total, msg) -> {
                long before = last.getAndSet(done);
                if (done != 0 && done != before + 1) throw new AssertionError("progress " + before + " then " + done);
            });
            assertEquals(spectra.matrices().size(), last.get(), "progress reaches the matrix count");
            for (AnalyzedMatrix a : spectra.matrices()) {
                Spectrum s = a.spectrum();
                if (s.layer() <= lastLayer) assertAgrees(s, referenceValues(ck, s));
            }
            assertTrue(spectra.find(-1, "head.weight").isPresent());
            assertTrue(spectra.find(0, "ffn.key").isPresent());
        }
    }

    @Test
    void listsEveryMatrixOfEachGeneration() throws Exception {
        try (Checkpoint ck = Checkpoints.open(Reference.file("rwkv.cpp/tests/tiny-rwkv-7v0-834K-FP32.bin"))) {
            List<String> l1 = WeightMatrices.of(ck, false).stream().filter(m -> m.layer() == 1).map(WeightMatrix::name).toList();
            assertEquals(List.of("att.receptance", "att.key", "att.value", "att.output", "ffn.key", "ffn.value",
                    "att.w1", "att.w2", "att.w1@w2", "att.a1", "att.a2", "att.a1@a2", "att.v1", "att.v2", "att.v1@v2",
                    "att.g1", "att.g2", "att.g1@g2"), l1);
        }
        try (Checkpoint ck = Checkpoints.open(Reference.file("rwkv.cpp/tests/tiny-rwkv-6v0-3m-Q5_1.bin"))) {
            List<String> l0 = WeightMatrices.of(ck, false).stream().filter(m -> m.layer() == 0).map(WeightMatrix::name).toList();
            assertEquals(8 + 3 + 1 + 5 * 2, l0.size(), l0.toString());
            assertTrue(l0.contains("att.time_maa_w1@w2[r]") && l0.contains("att.time_decay_w1@w2") && l0.contains("att.gate"));
        }
    }

    @Test
    void tallMatricesGoThroughTheGramMatrix() {
        int rows = 600, cols = 40;
        float[] w = random(rows * cols, 3);
        WeightMatrix m = new WeightMatrix("emb.weight", -1, Spectrum.Kind.WEIGHT,
                MatrixSource.of(Tensor.ofFloats("emb.weight", w, rows, cols)), null);
        Spectrum s = SingularValues.spectrum(m);
        assertEquals(Spectrum.Method.GRAM_EIGEN_F64, s.method());
        assertAgrees(s, doubleSvd(w, rows, cols));
    }

    @Test
    void loraProductsPadWithZerosBeyondTheInnerRank() {
        int c = 48, d = 6;
        float[] a = random(c * d, 4), b = random(d * c, 5);
        float[] s = SingularValues.ofProduct(a, c, d, b, c);
        assertEquals(c, s.length);
        float[] ref = doubleSvd(multiply(a, c, d, b, c), c, c);
        for (int i = 0; i < d; i++) assertEquals(ref[i], s[i], 1e-5 * ref[0]);
        for (int i = d; i < c; i++) assertEquals(0f, s[i]);
    }

    @Test
    void diagonalSpectrumIsExact() {
        // a permuted diagonal with signs: its singular values are |diagonal|
        float[] w = new float[16];
        w[0 * 4 + 2] = -2;
        w[1 * 4 + 0] = 4;
        w[2 * 4 + 3] = 1;
        w[3 * 4 + 1] = -3;
        float[] s = SingularValues.ofMatrix(w, 4, 4);
        for (int i = 0; i < 4; i++) assertEquals(4 - i, s[i], 1e-5);
    }

    private static void assertAgrees(Spectrum s, float[] ref) {
        assertEquals(ref.length, s.size(), s.key());
        for (int i = 0; i < ref.length; i++) {
            // 1e-4 relative for every value above 1e-3 of the largest; the tiny ones only to 1e-6 of the largest
            double tol = Math.max(1e-4 * ref[i], 1e-6 * ref[0]) + 1e-7;
            assertEquals(ref[i], s.values()[i], tol, s.key() + " (" + s.method() + ") value " + i);
        }
    }

    /** The matrix read straight from the tensor and decomposed in double; products multiplied here. */
    private static float[] referenceValues(Checkpoint ck, Spectrum s) {
        String blk = s.layer() < 0 ? "" : "blocks." + s.layer() + ".";
        String n = s.name();
        if (n.startsWith("att.time_maa_w")) {
            int mix = "wkvrg".indexOf(n.charAt(n.length() - 2));
            Tensor t2 = ck.tensors().get(blk + "att.time_maa_w2");
            float[] w1 = ck.tensors().get(blk + "att.time_maa_w1").toFloats(), w2 = t2.toFloats();
            int d = (int) t2.shape()[1], c = (int) t2.shape()[2];
            if (n.equals("att.time_maa_w1")) return doubleSvd(w1, c, 5 * d);
            float[] b = java.util.Arrays.copyOfRange(w2, mix * d * c, (mix + 1) * d * c);
            if (n.startsWith("att.time_maa_w2")) return doubleSvd(b, d, c);
            float[] a = new float[c * d];
            for (int r = 0; r < c; r++) System.arraycopy(w1, r * 5 * d + mix * d, a, r * d, d);
            return doubleSvd(multiply(a, c, d, b, c), c, c);
        }
        if (s.kind() == Spectrum.Kind.LORA_PRODUCT) {
            String[] parts = n.split("@");
            String second = parts[0].substring(0, parts[0].length() - 2) + parts[1];
            Tensor a = ck.tensors().get(blk + parts[0]), b = ck.tensors().get(blk + second);
            int d = (int) a.shape()[1];
            return doubleSvd(multiply(a.toFloats(), s.rows(), d, b.toFloats(), s.cols()), s.rows(), s.cols());
        }
        String tensor = s.layer() < 0 || s.kind() == Spectrum.Kind.LORA_FACTOR ? blk + n : blk + n + ".weight";
        return doubleSvd(ck.tensors().get(tensor).toFloats(), s.rows(), s.cols());
    }

    static float[] doubleSvd(float[] w, int rows, int cols) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < w.length; i++) m.data[i] = w[i];
        double[] d = SingularOps_DDRM.singularValues(m);
        java.util.Arrays.sort(d);
        float[] out = new float[Math.min(rows, cols)];
        for (int i = 0; i < out.length; i++) out[i] = (float) d[d.length - 1 - i];
        return out;
    }

    static float[] multiply(float[] a, int m, int k, float[] b, int n) {
        float[] p = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int t = 0; t < k; t++) s += (double) a[i * k + t] * b[t * n + j];
                p[i * n + j] = (float) s;
            }
        }
        return p;
    }

    static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }
}
