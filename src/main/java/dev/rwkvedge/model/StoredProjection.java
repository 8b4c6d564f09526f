package dev.rwkvedge.model;

import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.io.ModelFormatException;
import dev.rwkvedge.runtime.DenseProjection;
import dev.rwkvedge.runtime.Int8Projection;
import dev.rwkvedge.runtime.LowRankProjection;
import dev.rwkvedge.runtime.Projection;
import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Tensor;
import java.util.Arrays;

/**
 * The forms a projection {@code X.weight} can take in a file: a dense matrix in any dtype; int8 values (dtype I8,
 * same name) with per-row scales in {@code X.weight_scale}; or a low-rank pair {@code X.weight_lr_a} (r x in) and
 * {@code X.weight_lr_b} (out x r), each of which may itself be int8. Compressed exports use the latter two.
 */
public final class StoredProjection {
    public static final String SCALE = "_scale", LOW_RANK_A = "_lr_a", LOW_RANK_B = "_lr_b";
    /**
     * A matrix the checkpoint stores as (in, out) for x @ M (v7's LoRA factors) is stored, once compressed, as the
     * projection itself (out, in) under its name plus this suffix, in any of the forms above.
     */
    public static final String AS_PROJECTION = ".projection";

    private StoredProjection() {}

    /** Whether the file holds the projection in any of its forms. */
    public static boolean exists(Checkpoint ck, String name) {
        return ck.find(name).isPresent() || ck.find(name + LOW_RANK_A).isPresent();
    }

    /** The output size of a stored projection in any form, or -1 when the file does not hold it. */
    public static int outDim(Checkpoint ck, String name) {
        if (ck.find(name).isPresent()) return (int) ck.find(name).get().shape()[0];
        return ck.find(name + LOW_RANK_B).map(t -> (int) t.shape()[0]).orElse(-1);
    }

    public static Projection read(Checkpoint ck, String name, int out, int in, float[] bias) throws ModelFormatException {
        if (ck.find(name).isEmpty() && ck.find(name + LOW_RANK_A).isPresent()) {
            Tensor a = ck.require(name + LOW_RANK_A);
            if (a.rank() != 2) throw shape(ck, a, "a (rank, " + in + ") matrix");
            int r = (int) a.shape()[0];
            if (bias != null) throw new ModelFormatException(ck.path(), name + ": a low-rank projection with a bias is not supported");
            return new LowRankProjection(read(ck, name + LOW_RANK_A, r, in, null), read(ck, name + LOW_RANK_B, out, r, null));
        }
        Tensor t = ck.require(name);
        if (!Arrays.equals(t.shape(), new long[] {out, in})) throw shape(ck, t, "(" + out + ", " + in + ")");
        if (t.dtype() != DType.I8) return DenseProjection.of(t, bias);
        if (bias != null) throw new ModelFormatException(ck.path(), name + ": an int8 projection with a bias is not supported");
        Tensor s = ck.require(name + SCALE);
        if (s.numel() != out || s.dtype() != DType.F32) throw shape(ck, s, out + " float32 scales");
        return Int8Projection.of(t.data(), s.toFloats(), out, in);
    }

    private static ModelFormatException shape(Checkpoint ck, Tensor t, String expected) {
        return new ModelFormatException(ck.path(), "tensor " + t.name() + " is " + t.dtype() + " " + t.shapeString()
                + ", expected " + expected);
    }
}
