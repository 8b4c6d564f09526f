package dev.rwkvedge.tensor;

/**
 * Decode-style matrix-vector products over every storage type, one thread, the same random shapes back to back in
 * one JVM: Gelem/s (weights consumed) and GB/s (stored bytes streamed) per second of this thread's CPU time, which
 * a loaded machine disturbs less than wall time. The matrices together exceed the caches,
 * so F32 shows the memory limit and the packed types show whether widening keeps up with it. Not a test; after
 * {@code mvn test-compile}: {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes
 * dev.rwkvedge.tensor.PackedMatrixBench [rows] [cols] [seconds] [types] [rounds]}.
 */
public final class PackedMatrixBench {
    private PackedMatrixBench() {}

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 3072 * 12;
        int cols = args.length > 1 ? Integer.parseInt(args[1]) : 768;
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 2;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 4;
        DType[] types = args.length > 3 ? java.util.Arrays.stream(args[3].split(",")).map(DType::valueOf)
                .toArray(DType[]::new) : DType.values();
        PackedMatrix[] m = new PackedMatrix[types.length];
        for (int i = 0; i < types.length; i++) {
            var data = PackedMatrixTest.packed(types[i], rows, cols, i);
            m[i] = types[i] == DType.I8 ? PackedMatrix.int8(data, PackedMatrixTest.random(rows, 1), rows, cols)
                    : PackedMatrix.of(new Tensor("w", types[i], new long[] {rows, cols}, data));
        }
        float[] x = PackedMatrixTest.random(cols, 2), y = new float[rows];
        System.out.printf("%d x %d, %s kernels, %d lanes%n", rows, cols, Simd.ON ? "vector" : "scalar", Simd.LANES);
        var cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        // under load the JIT takes many seconds to reach the final code: keep the best of several rounds
        double[] best = new double[types.length];
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < types.length; i++) {
                long n = 0, end = System.nanoTime() + (long) (seconds * 1e9), cpu0 = cpu.getCurrentThreadCpuTime();
                while (System.nanoTime() < end) {
                    m[i].matVec(x, 0, y, 0, 0, rows);
                    n++;
                }
                best[i] = Math.max(best[i], n / ((cpu.getCurrentThreadCpuTime() - cpu0) / 1e9));
            }
        }
        for (int i = 0; i < types.length; i++) {
            System.out.printf("%-5s %6.2f Gelem/s %6.2f GB/s %8.3f ms per product%n", types[i],
                    best[i] * rows * cols / 1e9, best[i] * m[i].residentBytes() / 1e9, 1e3 / best[i]);
        }
    }
}
