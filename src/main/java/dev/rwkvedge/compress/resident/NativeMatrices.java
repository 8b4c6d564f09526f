package dev.rwkvedge.compress.resident;

import dev.rwkvedge.io.Checkpoint;
import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A compressed file's packed block matrices copied out of the mapping into native memory of the checkpoint's arena,
 * before the model is built on them. Used in place, their pages would count in whole 4 KiB pages, together with the
 * vectors stored between them (already copied to the heap by the loader) and the folios the kernel maps around each
 * fault: on the sample model's edge.json 452 KB resident for 387 KB of matrices. A copy holds exactly their bytes.
 */
public final class NativeMatrices {
    private NativeMatrices() {}

    /**
     * The checkpoint with every mapped matrix in a packed type (not float32, whose small matrices the runtime copies
     * to the heap itself) that is not read by position replaced by a native copy. The mapped tensors replaced are
     * added to {@code replaced}: the pages the copy faulted in, and those the kernel maps around later faults on the
     * tensors next to them, are to be dropped once loading is done.
     */
    public static Checkpoint copied(Checkpoint ck, Predicate<String> readByPosition, List<Tensor> replaced) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Tensor t : ck.tensors().values()) {
            boolean copy = t.data().isMapped() && t.rank() == 2 && t.dtype() != DType.F32 && !readByPosition.test(t.name());
            if (!copy) {
                out.put(t.name(), t);
                continue;
            }
            MemorySegment seg = ck.arena().allocate(t.data().byteSize(), 64);
            MemorySegment.copy(t.data(), 0, seg, 0, t.data().byteSize());
            replaced.add(t);
            out.put(t.name(), new Tensor(t.name(), t.dtype(), t.shape(), seg));
        }
        return new Checkpoint(ck.path(), ck.format(), out, ck.metadata(), ck.vocabulary(), ck.groupNormEps(), ck.arena());
    }
}
