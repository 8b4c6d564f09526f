package dev.rwkvedge.model;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Native memory for generated weights, taken straight from the kernel with mmap (its pages are zero until written,
 * so nothing is cleared twice) and marked for transparent huge pages (a 1.5B model is half a million 4 KiB page
 * faults otherwise). Falls back to an ordinary arena allocation where mmap is not available.
 */
final class LazyPages {
    private static final int PROT_READ_WRITE = 3, MAP_PRIVATE_ANONYMOUS = 0x22, MADV_HUGEPAGE = 14;
    private static final MethodHandle MMAP, MADVISE, MUNMAP;

    static {
        MethodHandle mmap = null, madvise = null, munmap = null;
        try {
            Linker linker = Linker.nativeLinker();
            var libc = linker.defaultLookup();
            mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(), FunctionDescriptor.of(ValueLayout.ADDRESS,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
            madvise = linker.downcallHandle(libc.find("madvise").orElseThrow(), FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
            munmap = linker.downcallHandle(libc.find("munmap").orElseThrow(), FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        } catch (RuntimeException | Error e) {
            mmap = null;
        }
        MMAP = mmap;
        MADVISE = madvise;
        MUNMAP = munmap;
    }

    private LazyPages() {}

    /** {@code bytes} of zeroed memory that lives as long as {@code arena}. */
    static MemorySegment allocate(Arena arena, long bytes) {
        if (MMAP != null && bytes >= 1 << 21 && System.getProperty("os.name", "").startsWith("Linux")) {
            try {
                MemorySegment addr = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, bytes, PROT_READ_WRITE,
                        MAP_PRIVATE_ANONYMOUS, -1, 0L);
                if (addr.address() != -1L) {
                    int ignored = (int) MADVISE.invokeExact(addr, bytes, MADV_HUGEPAGE);
                    return addr.reinterpret(bytes, arena, LazyPages::unmap);
                }
            } catch (Throwable e) {
                // fall through to the arena
            }
        }
        return arena.allocate(bytes, 64);
    }

    private static void unmap(MemorySegment s) {
        try {
            int ignored = (int) MUNMAP.invokeExact(s, s.byteSize());
        } catch (Throwable e) {
            // the process is ending or the mapping is gone already
        }
    }
}
