package dev.rwkvedge.io;

import dev.rwkvedge.model.LoadedModel;
import dev.rwkvedge.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The mutation campaign over our readers: damaged copies of real model files (byte changes, truncations, inserted
 * bytes, length fields overwritten with telling values), each read as the CLI reads a model file and run for one
 * token. The damaged bytes are handed to the readers in memory rather than written and mapped: the same checks run,
 * without a disk write per case. Run by {@code ReaderFuzzTest} in a child JVM with a 512 MB heap; by hand for a long
 * campaign, {@code tools/fuzz.sh CASES FILE...}, or:
 * <pre>java -Xmx512m --add-modules jdk.incubator.vector -cp CLASSPATH dev.rwkvedge.io.ReaderFuzz CASES SEED FILE...</pre>
 * The files' campaigns run side by side, one thread each. Prints one line per file: {@code fuzz FILE cases N} then
 * each {@link Outcome}'s count, and the first example of every outcome other than a clean error at open; every
 * {@value #PROGRESS_EVERY} cases a {@code progress} line with the counts so far. Exit status 0 when no outcome broke
 * the contract.
 */
public final class ReaderFuzz {
    /** A case running longer than this is a hang; the watchdog ends the JVM with status 3. */
    private static final long HANG_MILLIS = 60_000;
    private static final int TOKEN = 1;
    private static final int PROGRESS_EVERY = 2500;
    /** A case taking longer is printed (a tiny model's case takes milliseconds). */
    private static final long SLOW_MILLIS = 5_000;
    /** {@code -Dfuzz.from=N} runs only cases N and later (the earlier mutations are drawn, not run). */
    private static final int FROM = Integer.getInteger("fuzz.from", 0);
    /** {@code -Dfuzz.dump=DIR} keeps the bytes of every case that breaks the contract or is slow, to investigate. */
    private static final String DUMP = System.getProperty("fuzz.dump");

    /**
     * What one damaged file did. NOT_FINITE_REPORTED: it opened, and the first token's logits were not finite, which
     * the model reports as a clean error naming the tensor. The last seven break the contract: NON_FINITE is such
     * logits reaching the caller; UNCHECKED is a clean message that only the safety net in {@link Checkpoints}
     * produced, i.e. a runtime exception no reader check anticipated.
     */
    enum Outcome {
        CLEAN_ERROR, NOT_FINITE_REPORTED, OPENED_SAME_LOGITS, OPENED_DAMAGED_IN_TENSOR_DATA,
        OPENED_DAMAGED_ELSEWHERE, NON_FINITE, BAD_MESSAGE, UNCHECKED, OTHER_EXCEPTION, ERROR, HANG;

        boolean breaksContract() {
            return ordinal() >= OPENED_DAMAGED_ELSEWHERE.ordinal();
        }
    }

    /**
     * One mutation: its description, whether every changed byte lies inside tensor data (sizes unchanged), and for
     * byte changes both inside and outside the data, the same file with only the outside changes.
     */
    record Mutation(byte[] bytes, String what, boolean onlyTensorData, byte[] outsideOnly) {}

    private final byte[] original;
    private final Path damaged;
    /** Holds each damaged copy in turn: the largest mutation inserts 8 bytes. */
    private final MemorySegment buffer;
    private final float[] reference;
    /** Sorted [begin, end) byte ranges of tensor data in the original file. */
    private final long[][] dataRanges;
    /** Sorted [begin, end) ranges outside tensor data: headers, names, directories; where damage bites most. */
    private final long[][] metaRanges;
    private final long metaBytes;

    private ReaderFuzz(Path file, Path damaged) throws IOException {
        this.original = Files.readAllBytes(file);
        this.damaged = damaged;
        this.buffer = Arena.ofAuto().allocate(original.length + 8L);
        // read from memory as each damaged copy is: a mapped file's small matrices get a cached copy whose sums
        // run in another order, so the file opened from disk may differ from its copy in memory in the last bits
        MemorySegment.copy(original, 0, buffer, ValueLayout.JAVA_BYTE, 0, original.length);
        try (LoadedModel m = LoadedModel.of(Checkpoints.read(file, buffer.asSlice(0, original.length), Arena.ofAuto()), null)) {
            reference = m.model().forward(TOKEN, m.model().newState());
        }
        dataRanges = dataRanges(file);
        List<long[]> meta = new ArrayList<>();
        long at = 0;
        for (long[] r : dataRanges) {
            if (r[0] > at) meta.add(new long[] {at, r[0]});
            at = Math.max(at, r[1]);
        }
        if (at < original.length) meta.add(new long[] {at, original.length});
        metaRanges = meta.toArray(long[][]::new);
        metaBytes = meta.stream().mapToLong(r -> r[1] - r[0]).sum();
    }

    /** Where each tensor's bytes sit in the file, from the format's own parser (before any layout change). */
    private static long[][] dataRanges(Path file) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = MappedFile.map(file, arena);
            List<Tensor> tensors;
            String name = file.getFileName().toString();
            if (name.endsWith(".gguf")) {
                tensors = GgufFile.parse(file, seg).tensors();
            } else if (name.endsWith(".bin")) {
                tensors = RwkvCppFile.parse(file, seg).tensors();
            } else if (name.endsWith(".safetensors")) {
                tensors = SafetensorsReader.parse(file, seg).tensors();
            } else {
                tensors = List.copyOf(PthReader.read(file, seg, arena).tensors().values());
            }
            return tensors.stream().map(t -> new long[] {t.data().address() - seg.address(), t.data().address() - seg.address()
                    + t.data().byteSize()}).sorted((a, b) -> Long.compare(a[0], b[0])).toArray(long[][]::new);
        }
    }

    /**
     * An in-place change (same length) judged by the bytes that actually differ, not by the window written: an 8-byte
     * write that changes only its low byte, or that straddles two adjacent tensors, changes weights only. Every
     * differing byte must lie inside some tensor's data (the union of {@code dataRanges}); when some lie inside and some
     * outside, {@code outsideOnly} is the original with only the outside bytes changed, to tell which part changed the
     * logits.
     */
    static Mutation inPlace(byte[] original, byte[] mutated, long[][] dataRanges, String what) {
        byte[] outside = null;
        boolean anyInside = false;
        int n = mutated.length;
        // Arrays.mismatch compares vectorized: a few differing bytes in megabytes, once per case
        for (int i = next(original, mutated, 0); i < n; i = next(original, mutated, i + 1)) {
            if (insideData(dataRanges, i)) {
                anyInside = true;
            } else {
                if (outside == null) outside = original.clone();
                outside[i] = mutated[i];
            }
        }
        return new Mutation(mutated, what, outside == null, anyInside ? outside : null);
    }

    /** The next index from {@code from} where the two same-length arrays differ, or their length. */
    private static int next(byte[] a, byte[] b, int from) {
        int d = Arrays.mismatch(a, from, a.length, b, from, b.length);
        return d < 0 ? a.length : from + d;
    }

    private static boolean insideData(long[][] dataRanges, long at) {
        for (long[] r : dataRanges) if (at >= r[0] && at < r[1]) return true;
        return false;
    }

    /** A position: half the time anywhere, half the time in the metadata, where most of the checks are. */
    private long position(Random rnd) {
        if (rnd.nextBoolean() || metaBytes == 0) return rnd.nextLong(original.length);
        long k = rnd.nextLong(metaBytes);
        for (long[] r : metaRanges) {
            if (k < r[1] - r[0]) return r[0] + k;
            k -= r[1] - r[0];
        }
        throw new IllegalStateException();
    }

    private Mutation mutate(Random rnd) {
        byte[] b;
        switch (rnd.nextInt(4)) {
            case 0 -> {
                b = original.clone();
                int n = 1 + rnd.nextInt(4);
                StringBuilder what = new StringBuilder("set bytes");
                for (int i = 0; i < n; i++) {
                    int at = (int) position(rnd);
                    b[at] = (byte) rnd.nextInt(256);
                    what.append(' ').append(at);
                }
                return inPlace(original, b, dataRanges, what.toString());
            }
            case 1 -> {
                int len = (int) position(rnd);
                return new Mutation(Arrays.copyOf(original, len), "truncated to " + len, false, null);
            }
            case 2 -> {
                int at = (int) position(rnd);
                int n = 1 + rnd.nextInt(8);
                b = new byte[original.length + n];
                System.arraycopy(original, 0, b, 0, at);
                for (int i = 0; i < n; i++) b[at + i] = (byte) rnd.nextInt(256);
                System.arraycopy(original, at, b, at + n, original.length - at);
                return new Mutation(b, "inserted " + n + " bytes at " + at, false, null);
            }
            default -> {
                int width = rnd.nextBoolean() ? 4 : 8;
                int at = (int) Math.min(position(rnd), original.length - width);
                b = original.clone();
                ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                long old = width == 4 ? bb.getInt(at) : bb.getLong(at);
                long v = switch (rnd.nextInt(9)) {
                    case 0 -> 0;
                    case 1 -> -1;
                    case 2 -> Integer.MAX_VALUE;
                    case 3 -> Integer.MIN_VALUE;
                    case 4 -> 1L << 40;
                    case 5 -> old + 1;
                    case 6 -> old - 1;
                    case 7 -> old * 2;
                    default -> rnd.nextLong();
                };
                if (width == 4) bb.putInt(at, (int) v);
                else bb.putLong(at, v);
                return inPlace(original, b, dataRanges, "wrote " + (width == 4 ? (int) v : v) + " as " + width + " bytes at " + at);
            }
        }
    }

    private Outcome run(Mutation m, StringBuilder detail) {
        Outcome o = run(m.bytes(), m.onlyTensorData(), detail);
        if (m.outsideOnly() != null && o == Outcome.OPENED_DAMAGED_ELSEWHERE
                && run(m.outsideOnly(), false, new StringBuilder()) == Outcome.OPENED_SAME_LOGITS) {
            // bytes changed both in and outside tensor data: blame the outside only if it alone changes the logits
            return Outcome.OPENED_DAMAGED_IN_TENSOR_DATA;
        }
        return o;
    }

    private Outcome run(byte[] bytes, boolean onlyTensorData, StringBuilder detail) {
        float[] logits;
        // the readers' own allocations go with the GC; the bytes are copied into one buffer kept for the campaign
        Arena arena = Arena.ofAuto();
        try {
            MemorySegment.copy(bytes, 0, buffer, ValueLayout.JAVA_BYTE, 0, bytes.length);
            try (LoadedModel model = LoadedModel.of(Checkpoints.read(damaged, buffer.asSlice(0, bytes.length), arena), null)) {
                logits = model.model().forward(TOKEN, model.model().newState());
            }
        } catch (ModelFormatException e) {
            return clean(e, Outcome.CLEAN_ERROR, detail);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof ModelFormatException m) return clean(m, Outcome.NOT_FINITE_REPORTED, detail);
            detail.append(e);
            return Outcome.OTHER_EXCEPTION;
        } catch (Exception e) {
            detail.append(e);
            return Outcome.OTHER_EXCEPTION;
        } catch (Error e) {
            detail.append(e.getClass().getName());
            return Outcome.ERROR;
        }
        boolean finite = true;
        for (float x : logits) finite &= Float.isFinite(x);
        if (!finite) return Outcome.NON_FINITE;
        if (Arrays.equals(logits, reference)) return Outcome.OPENED_SAME_LOGITS;
        return onlyTensorData ? Outcome.OPENED_DAMAGED_IN_TENSOR_DATA : Outcome.OPENED_DAMAGED_ELSEWHERE;
    }

    /** One line naming the damaged file, at most 300 characters: the outcome given; otherwise BAD_MESSAGE. */
    private Outcome clean(ModelFormatException e, Outcome ok, StringBuilder detail) {
        String msg = e.getMessage();
        detail.append(msg);
        boolean clean = msg.startsWith(damaged.toString()) && msg.length() <= ModelFormatException.MAX_MESSAGE
                && msg.lines().count() == 1;
        if (!clean) return Outcome.BAD_MESSAGE;
        return msg.contains(Checkpoints.SAFETY_NET) ? Outcome.UNCHECKED : ok;
    }

    /** {@code fuzz NAME cases N} and every outcome's count. */
    private static String counts(String name, int cases, Map<Outcome, Integer> counts) {
        StringBuilder line = new StringBuilder("fuzz " + name + " cases " + cases);
        for (Outcome o : Outcome.values()) line.append(' ').append(o).append(' ').append(counts.getOrDefault(o, 0));
        return line.toString();
    }

    /** Runs {@code cases} mutations of one file; returns its report: the counts line, examples and the time taken. */
    static Report campaign(Path file, int cases, long seed, AtomicLong heartbeat, AtomicReference<String> current) throws IOException {
        long t0 = System.nanoTime();
        String name = file.getFileName().toString();
        ReaderFuzz fuzz = new ReaderFuzz(file, Path.of("damaged-" + name));
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        Map<Outcome, String> examples = new EnumMap<>(Outcome.class);
        Random rnd = new Random(seed ^ name.hashCode());
        for (int i = 0; i < cases; i++) {
            Mutation m = fuzz.mutate(rnd);
            if (i < FROM) continue; // replaying a long run from a given case: the mutations depend only on the seed
            current.set("case " + i + " (" + m.what() + ")");
            long started = System.currentTimeMillis();
            heartbeat.set(started);
            StringBuilder detail = new StringBuilder();
            Outcome o = fuzz.run(m, detail);
            counts.merge(o, 1, Integer::sum);
            long took = System.currentTimeMillis() - started;
            if (took > SLOW_MILLIS) System.out.println("slow " + name + " case " + i + " (" + m.what() + "): " + took + " ms, " + o);
            if (DUMP != null && (o.breaksContract() || took > SLOW_MILLIS)) Files.write(Path.of(DUMP, "case-" + i + "-" + name), m.bytes());
            if (o != Outcome.CLEAN_ERROR) examples.putIfAbsent(o, "case " + i + " (" + m.what() + "): " + detail);
            if ((i + 1) % PROGRESS_EVERY == 0 && i + 1 < cases) {
                System.out.printf("progress %s %.0f s%n", counts(name, i + 1, counts), (System.nanoTime() - t0) / 1e9);
            }
        }
        heartbeat.set(Long.MAX_VALUE); // finished: no longer watched
        StringBuilder text = new StringBuilder(counts(name, cases, counts)).append('\n');
        examples.forEach((o, ex) -> text.append("  ").append(o.breaksContract() ? "VIOLATION " : "example ").append(o)
                .append(": ").append(ex.length() > 600 ? ex.substring(0, 600) + "..." : ex).append('\n'));
        text.append(String.format("  %.1f s%n", (System.nanoTime() - t0) / 1e9));
        boolean ok = counts.keySet().stream().noneMatch(Outcome::breaksContract);
        return new Report(text.toString(), ok);
    }

    record Report(String text, boolean ok) {}

    public static void main(String[] args) throws Exception {
        int cases = Integer.parseInt(args[0]);
        long seed = Long.parseLong(args[1]);
        List<Path> files = Arrays.stream(args, 2, args.length).map(Path::of).toList();
        List<AtomicLong> heartbeats = files.stream().map(f -> new AtomicLong(System.currentTimeMillis())).toList();
        List<AtomicReference<String>> current = files.stream().map(f -> new AtomicReference<>("start")).toList();
        Thread watchdog = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < files.size(); i++) {
                    if (System.currentTimeMillis() - heartbeats.get(i).get() > HANG_MILLIS) {
                        System.out.println("fuzz " + files.get(i).getFileName() + " " + Outcome.HANG
                                + ": " + current.get(i).get() + " ran longer than " + HANG_MILLIS + " ms");
                        System.out.flush();
                        Runtime.getRuntime().halt(3);
                    }
                }
            }
        });
        watchdog.setDaemon(true);
        watchdog.start();
        // every file at once: a run cut short has reached a similar count for each
        ExecutorService pool = Executors.newFixedThreadPool(files.size());
        List<Future<Report>> reports = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            AtomicLong heartbeat = heartbeats.get(i);
            AtomicReference<String> now = current.get(i);
            reports.add(pool.submit(() -> campaign(file, cases, seed, heartbeat, now)));
        }
        boolean ok = true;
        for (Future<Report> r : reports) {
            Report report = r.get();
            System.out.print(report.text());
            ok &= report.ok();
        }
        pool.shutdown();
        System.exit(ok ? 0 : 1);
    }
}
