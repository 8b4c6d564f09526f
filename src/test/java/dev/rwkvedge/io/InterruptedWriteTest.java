package dev.rwkvedge.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Temporary files of an interrupted write: removed at shutdown when the JVM gets to run its hooks, else swept later. */
class InterruptedWriteTest {
    @TempDir
    Path dir;

    private List<String> names() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** kill (SIGTERM) in the middle of a write: the shutdown hook deletes the temporary file; no target appears. */
    @Test
    void killDuringWriteLeavesNothing() throws Exception {
        Path target = dir.resolve("x.safetensors");
        Process p = ChildJava.start(SlowWrite.class, target.toString());
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("writing", out.readLine(), "the child did not start writing");
            assertEquals(1, names().size(), "the temporary file exists while writing: " + names());
            assertTrue(names().getFirst().matches("\\.x\\.safetensors\\.\\d+\\.tmp"), names().getFirst());
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child did not stop");
        } finally {
            p.destroyForcibly();
        }
        assertEquals(143, p.exitValue());
        assertEquals(List.of(), names());
    }

    /**
     * What kill -9 leaves behind is swept by the next write of the same target: only names this class makes, only
     * files older than this process. A fresh one (another process writing now) and the user's own files stay.
     */
    @Test
    void staleTempFilesAreSweptBeforeTheNextWrite() throws Exception {
        Path target = dir.resolve("x.pth");
        FileTime old = FileTime.from(Instant.now().minusSeconds(86_400 * 3));
        Path stale1 = touch(".x.pth.123456789.tmp", old), stale2 = touch(".x.pth.987.tmp", old);
        Path fresh = touch(".x.pth.555.tmp", FileTime.from(Instant.now().plusSeconds(5)));
        Path user1 = touch(".x.pth.notes.tmp", old), user2 = touch(".y.pth.123.tmp", old), user3 = touch("x.pth.123.tmp", old);
        AtomicFiles.write(target, new byte[] {1, 2, 3});
        assertEquals(List.of(".x.pth.555.tmp", ".x.pth.notes.tmp", ".y.pth.123.tmp", "x.pth", "x.pth.123.tmp"), names());
        assertTrue(Files.notExists(stale1) && Files.notExists(stale2));
        assertTrue(Files.exists(fresh) && Files.exists(user1) && Files.exists(user2) && Files.exists(user3));
    }

    /**
     * kill -9 in the middle of a write: no hook runs, the temporary file stays; the next start of the tool (any
     * command) removes it through the dead process's journal, and leaves a live process's files and any file whose
     * name is not one of ours alone.
     */
    @Test
    void killNineLeftoversAreSweptAtTheNextStart() throws Exception {
        Path state = dir.resolve("state");
        Path work = Files.createDirectories(dir.resolve("work"));
        Map<String, String> env = Map.of("RWKV_STUDIO_STATE", state.toString());
        Process p = ChildJava.start(SlowWrite.class, env, work.resolve("x.safetensors").toString());
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("writing", out.readLine(), "the child did not start writing");
            p.destroyForcibly(); // SIGKILL: no shutdown hook
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child did not stop");
        }
        List<Path> left;
        try (Stream<Path> files = Files.list(work)) {
            left = files.toList();
        }
        assertEquals(1, left.size(), "kill -9 leaves the temporary file: " + left);
        Path journals = state.resolve("pending-writes");
        Path live = Files.writeString(work.resolve(".y.pth.42.tmp"), "another process is writing this");
        Path mine = Files.writeString(work.resolve("notes.txt"), "the user's");
        Files.writeString(journals.resolve(ProcessHandle.current().pid() + ".journal"), live + "\n");
        Files.writeString(journals.resolve(p.pid() + ".journal"), mine + "\n", java.nio.file.StandardOpenOption.APPEND);

        Process next = ChildJava.start(dev.rwkvedge.Main.class, env, "--version");
        assertTrue(next.waitFor(60, TimeUnit.SECONDS), "the next start did not finish");
        assertEquals(0, next.exitValue());
        assertTrue(Files.notExists(left.getFirst()), "the leftover is swept at the next start");
        assertTrue(Files.exists(live) && Files.exists(mine), "a live process's file and the user's file stay");
        assertTrue(Files.notExists(journals.resolve(p.pid() + ".journal")), "the dead process's journal is dropped");
        assertTrue(Files.exists(journals.resolve(ProcessHandle.current().pid() + ".journal")), "a live process's journal stays");
    }

    /** A write that cannot even start names the target the user gave, not the temporary name. */
    @Test
    void errorsNameTheTargetNotTheTemporaryFile() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> AtomicFiles.write(Path.of("/proc/x.safetensors"), new byte[1]));
        assertTrue(e.getMessage().contains("/proc/x.safetensors") && !e.getMessage().contains(".tmp"), e.getMessage());
        Path occupied = Files.createDirectories(dir.resolve("occupied").resolve("inside")).getParent();
        e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> AtomicFiles.write(occupied, new byte[1]));
        assertTrue(e.getMessage().contains(occupied.toString()) && !e.getMessage().contains(".tmp"), e.getMessage());
    }

    private Path touch(String name, FileTime mtime) throws Exception {
        Path p = Files.writeString(dir.resolve(name), "partial");
        Files.setLastModifiedTime(p, mtime);
        return p;
    }
}
