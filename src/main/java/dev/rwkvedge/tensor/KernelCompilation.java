package dev.rwkvedge.tensor;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.ObjectName;

/**
 * Keeps HotSpot's C2 from inlining the vector kernels into their callers. A Vector API operation parses into many
 * nodes before C2 turns it into one instruction; inlined into a large caller (a time mix's forward, a block), a
 * kernel meets a caller whose node budget is spent, the rest of its vector calls are not inlined, and each runs
 * boxed: a loop ten times slower that allocates kilobytes per token. Compiled on its own, every kernel gets the
 * whole budget. This adds a compiler directive (JEP 165, the mechanism JMH's CompilerControl uses) through the
 * JVM's diagnostic command bean, once, before the kernels run hot. Where the bean is missing the kernels still
 * give the same results, only slower.
 */
public final class KernelCompilation {
    /** Kernels never inlined: none takes or returns a vector, so a call boundary costs nothing but the call. */
    static final String[] STANDALONE = {
        "dev/rwkvedge/tensor/Activations.*", "dev/rwkvedge/tensor/Wkv.*", "dev/rwkvedge/tensor/SmallF32Matrix.block",
        "dev/rwkvedge/runtime/Norms.normalize", "dev/rwkvedge/runtime/VectorKernels.*", "dev/rwkvedge/tensor/Int8Rows.axpy",
        "dev/rwkvedge/tensor/F16Matrix.dot4",
    };
    private static volatile boolean installed;

    private KernelCompilation() {}

    /** Adds the directive once per JVM; true when the JVM took it. */
    public static synchronized boolean install() {
        if (installed) return true;
        try {
            StringBuilder inline = new StringBuilder();
            for (String m : STANDALONE) inline.append(inline.isEmpty() ? "" : ", ").append("\"-").append(m).append('"');
            Path f = Files.createTempFile("rwkv-kernels", ".json");
            try {
                Files.writeString(f, "[{ match: \"*.*\", inline: [" + inline + "] }]");
                Object answer = ManagementFactory.getPlatformMBeanServer().invoke(
                        new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
                        new Object[] {new String[] {f.toString()}}, new String[] {String[].class.getName()});
                installed = String.valueOf(answer).contains("1 compiler directives added");
            } finally {
                Files.deleteIfExists(f);
            }
        } catch (Exception | LinkageError e) {
            installed = false; // no management bean (a minimal runtime): the kernels run, C2 decides alone
        }
        return installed;
    }
}
