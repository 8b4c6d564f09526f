package dev.rwkvedge.compress.sparse;

import dev.rwkvedge.tensor.Simd;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 1-bit predictor: K quantized to its signs with one scale per row (mean |K row|), the cheap score
 * u = K_1bit x, and the top (1 - p) fraction of neurons by score called active, so the predicted sparsity is p by
 * construction (F - round(p F) neurons active). The score is computed 8 inputs at a time from a per-token table of
 * subset sums (the sum of x over every sign pattern of a group of 8), so one row costs D/8 lookups instead of D
 * multiply-adds; that is what makes a predictor as wide as K cheaper than K itself. The signs are stored group by
 * group (all neurons' byte for inputs 0..7, then 8..15, ...) so each 1 KB table is used while it sits in L1.
 */
public final class OneBitPredictor extends ShapedPredictor {
    /** Byte lanes need a vector of at least 64 bits, i.e. 8 float lanes (the scalar table serves the rest). */
    private static final boolean VECTOR = Simd.ON && Simd.LANES >= 8;
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, Simd.S.vectorShape());
    private static final VectorSpecies<Byte> BYTES =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(Simd.S.length() * 8));
    private final int groups;
    /** Byte g * neurons + j: bit b is set when K[j][8g + b] >= 0. */
    private final byte[] signs;
    private final float[] scales;
    private final double p;
    private final int keep;

    private OneBitPredictor(int inputs, int neurons, byte[] signs, float[] scales, double p) {
        super(inputs, neurons);
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("sparsity p must be in [0, 1]");
        this.groups = (inputs + 7) / 8;
        this.signs = signs;
        this.scales = scales;
        this.p = p;
        this.keep = neurons - (int) Math.round(p * neurons);
    }

    /** From K, row-major (neurons x inputs). */
    public static OneBitPredictor of(float[] k, int neurons, int inputs, double p) {
        int groups = (inputs + 7) / 8;
        byte[] signs = new byte[neurons * groups];
        float[] scales = new float[neurons];
        for (int j = 0; j < neurons; j++) {
            double abs = 0;
            for (int i = 0; i < inputs; i++) {
                float v = k[j * inputs + i];
                abs += Math.abs(v);
                if (v >= 0) signs[(i >>> 3) * neurons + j] |= (byte) (1 << (i & 7));
            }
            scales[j] = (float) (abs / inputs);
        }
        return new OneBitPredictor(inputs, neurons, signs, scales, p);
    }

    /** From stored signs (group-major, see {@link #signs()}) and row scales, as an export wrote them. */
    public static OneBitPredictor of(byte[] signs, float[] scales, int inputs, double p) {
        int neurons = scales.length;
        if (signs.length != neurons * ((inputs + 7) / 8)) {
            throw new IllegalArgumentException(signs.length + " sign bytes do not fit " + neurons + " neurons of " + inputs);
        }
        return new OneBitPredictor(inputs, neurons, signs.clone(), scales.clone(), p);
    }

    /** Byte g * neurons + j: bit b is set when K[j][8g + b] >= 0. */
    public byte[] signs() {
        return signs.clone();
    }

    public float[] scales() {
        return scales.clone();
    }

    public double sparsity() {
        return p;
    }

    /** How many neurons every prediction marks active. */
    public int activeCount() {
        return keep;
    }

    @Override
    public OneBitPredictor atThreshold(double sparsity) {
        return new OneBitPredictor(inputs, neurons, signs, scales, sparsity);
    }

    /** u = scale_j (sum of x where K_j >= 0 minus sum where K_j < 0), for every neuron. */
    public float[] scores(float[] x, int xOff) {
        if (!VECTOR) return tableScores(x, xOff);
        float[] u = new float[neurons];
        float total = groupSumsVector(x, xOff, u);
        for (int j = 0; j < neurons; j++) u[j] = scales[j] * (2 * u[j] - total);
        return u;
    }

    /** The scores from a per-group table of subset sums (the scalar path, and what the vector path must equal). */
    float[] tableScores(float[] x, int xOff) {
        float[] table = new float[256], u = new float[neurons];
        float total = 0;
        for (int g = 0; g < groups; g++) {
            for (int v = 1; v < 256; v++) {
                int i = 8 * g + Integer.numberOfTrailingZeros(v);
                table[v] = table[v & (v - 1)] + (i < inputs ? x[xOff + i] : 0f);
            }
            total += table[255];
            for (int j = 0, o = g * neurons; j < neurons; j++) u[j] += table[signs[o + j] & 0xff];
        }
        for (int j = 0; j < neurons; j++) u[j] = scales[j] * (2 * u[j] - total);
        return u;
    }

    /**
     * The scalar table's sums, a vector of neurons at a time: a group's sum adds x of its set bits from bit 7 down
     * to bit 0, which is the order in which the table builds that subset's entry (each entry is the entry without
     * its lowest bit plus that bit's x, and adding the zero of an unset bit changes nothing), so the scores are the
     * table's bit for bit. Bytes widened to int lanes and a masked add per bit: about 10x fewer instructions than
     * a table lookup per neuron and group, which took 9 % of edge.json's token.
     */
    private float groupSumsVector(float[] x, int xOff, float[] u) {
        int lanes = Simd.S.length(), whole = neurons - neurons % lanes;
        float total = 0;
        for (int g = 0; g < groups; g++) {
            float[] xg = new float[8];
            float groupTotal = 0; // the table's entry 255
            for (int b = 7; b >= 0; b--) {
                int i = 8 * g + b;
                xg[b] = i < inputs ? x[xOff + i] : 0f;
                groupTotal += xg[b];
            }
            total += groupTotal;
            int o = g * neurons;
            for (int j = 0; j < whole; j += lanes) {
                IntVector bits = (IntVector) ByteVector.fromArray(BYTES, signs, o + j).convertShape(VectorOperators.B2I, INTS, 0);
                FloatVector sum = FloatVector.zero(Simd.S);
                for (int b = 7; b >= 0; b--) {
                    VectorMask<Float> set = bits.and(1 << b).compare(VectorOperators.NE, 0).cast(Simd.S);
                    sum = sum.add(FloatVector.broadcast(Simd.S, xg[b]), set);
                }
                FloatVector.fromArray(Simd.S, u, j).add(sum).intoArray(u, j);
            }
            for (int j = whole; j < neurons; j++) {
                int bits = signs[o + j];
                float sum = 0;
                for (int b = 7; b >= 0; b--) if ((bits & (1 << b)) != 0) sum += xg[b];
                u[j] += sum;
            }
        }
        return total;
    }

    @Override
    public int predict(float[] x, int xOff, int[] active) {
        if (keep >= neurons) {
            for (int j = 0; j < neurons; j++) active[j] = j;
            return neurons;
        }
        if (keep <= 0) return 0;
        float[] u = scores(x, xOff);
        float cut = TopK.kthLargest(u, keep);
        int above = 0;
        for (float v : u) if (v > cut) above++;
        int ties = keep - above, n = 0;
        for (int j = 0; j < neurons; j++) {
            if (u[j] > cut || (u[j] == cut && ties-- > 0)) active[n++] = j;
        }
        return n;
    }

    @Override
    public long parameters() {
        return (long) neurons * inputs + neurons;
    }

    /** One bit per weight (padded to whole bytes per row) and a float scale per neuron. */
    @Override
    public long residentBytes() {
        return signs.length + 4L * neurons;
    }

    @Override
    public String toString() {
        return "1-bit " + neurons + "x" + inputs + " p=" + p;
    }
}
