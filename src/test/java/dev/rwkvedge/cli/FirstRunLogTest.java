package dev.rwkvedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real `./studio` script's first run: installing the desktop libraries and building each print one progress line
 * and write their detail to target/logs. The script runs from a copy in a temporary folder (its build writes beside
 * it), with stand-in executables first on PATH for what a first run touches outside the project: apt-get, sudo, id,
 * ldconfig (no GTK until the stand-in apt-get has "installed" it), mvn and a JDK whose java prints its arguments.
 */
class FirstRunLogTest {
    private static final String INSTALL_LINE = "studio: installing the libraries JavaFX needs (libgtk-3-0 fontconfig"
            + " fonts-dejavu-core) (details: target/logs/install.log)...";
    private static final String BUILD_LINE = "studio: building (first use or sources changed) (details: target/logs/build.log)...";

    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {}

    @Test
    void firstRunAsRootInstallsAndBuildsWithOneLineEachThenNothing() throws Exception {
        Path app = sandbox("0", true, 0);
        Run first = run(app);
        assertEquals(0, first.exit(), first.err());
        assertEquals(List.of(INSTALL_LINE, BUILD_LINE), first.err().lines().toList());
        assertEquals("java ran: --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC"
                + " -XX:MaxNewSize=128m -cp target/classes:/fake/lib/javafx.jar dev.rwkvedge.Main\n", first.out());
        assertEquals(List.of("update -qq", "install -y -qq --no-install-recommends libgtk-3-0 fontconfig fonts-dejavu-core"),
                Files.readAllLines(tmp.resolve("apt-calls")));
        String install = Files.readString(app.resolve("target/logs/install.log"));
        assertTrue(install.contains("Reading package lists... (detail 1 of 40)") && install.contains("(detail 40 of 40)")
                && install.contains("DEBIAN_FRONTEND=noninteractive"), install);
        String build = Files.readString(app.resolve("target/logs/build.log"));
        assertTrue(build.contains("[INFO] compiling (detail 1 of 40)") && build.contains("(detail 40 of 40)"), build);
        assertFalse(Files.exists(tmp.resolve("sudo-calls")), "root needs no sudo");

        // installed and built: the second run goes straight to the JVM
        Run second = run(app);
        assertEquals(0, second.exit(), second.err());
        assertEquals("", second.err());
        assertEquals(first.out(), second.out());
        assertEquals(2, Files.readAllLines(tmp.resolve("apt-calls")).size());
    }

    @Test
    void withoutRootThePasswordlessSudoInstalls() throws Exception {
        Path app = sandbox("1000", true, 0);
        Run r = run(app);
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of(INSTALL_LINE, BUILD_LINE), r.err().lines().toList());
        List<String> sudo = Files.readAllLines(tmp.resolve("sudo-calls"));
        assertEquals(List.of("-n true", "-n apt-get update -qq", "-n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq"
                + " --no-install-recommends libgtk-3-0 fontconfig fonts-dejavu-core"), sudo);
    }

    @Test
    void withoutRootOrPasswordlessSudoTheCommandIsNamedInOneLine() throws Exception {
        Path app = sandbox("1000", false, 0);
        Run r = run(app);
        assertEquals(1, r.exit());
        assertEquals(List.of("studio: JavaFX needs GTK 3 and fonts: sudo apt-get install libgtk-3-0 fontconfig fonts-dejavu-core"),
                r.err().lines().toList());
        assertEquals("", r.out());
        assertFalse(Files.exists(tmp.resolve("apt-calls")), "nothing installed");
    }

    @Test
    void failedBuildShowsTheLogsLastLines() throws Exception {
        Path app = sandbox("0", true, 1);
        Run r = run(app);
        assertEquals(1, r.exit());
        List<String> err = r.err().lines().toList();
        assertEquals(List.of(INSTALL_LINE, BUILD_LINE, "studio: building (first use or sources changed) failed; the last"
                + " lines of target/logs/build.log:"), err.subList(0, 3));
        // tail -n 20 of the 41-line log: details 22 to 40, then the error
        assertEquals(3 + 20, err.size(), r.err());
        assertEquals("[INFO] compiling (detail 22 of 40)", err.get(3));
        assertEquals("[ERROR] cannot find symbol", err.getLast());
        assertEquals("", r.out());
        assertFalse(Files.exists(app.resolve("target/.built")), "a failed build is retried next time");
    }

    /**
     * A copy of the script with a pom.xml and src/ beside it, and the stand-ins: {@code id -u} prints {@code uid};
     * sudo runs its command (after recording it) only when {@code passwordlessSudo}; mvn exits {@code buildExit}.
     */
    private Path sandbox(String uid, boolean passwordlessSudo, int buildExit) throws IOException {
        Path app = Files.createDirectories(tmp.resolve("app"));
        Files.copy(Path.of("studio"), app.resolve("studio"));
        Files.writeString(app.resolve("pom.xml"), "<project/>\n");
        Files.createDirectories(app.resolve("src"));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        String t = tmp.toString();
        script(bin.resolve("id"), "echo " + uid);
        script(bin.resolve("ldconfig"), "[[ -f " + t + "/gtk-installed ]] && echo '\tlibgtk-3.so.0 (libc6,x86-64) => /x'; exit 0");
        script(bin.resolve("apt-get"), """
                echo "$*" >> %1$s/apt-calls
                echo "DEBIAN_FRONTEND=${DEBIAN_FRONTEND:-}"
                for i in $(seq 1 40); do echo "Reading package lists... (detail $i of 40)"; done
                [[ "$1" == install ]] && touch %1$s/gtk-installed
                exit 0""".formatted(t));
        script(bin.resolve("sudo"), passwordlessSudo
                ? "echo \"$*\" >> " + t + "/sudo-calls\n[[ \"$1\" == -n ]] && shift\nexec \"$@\""
                : "echo 'sudo: a password is required' >&2; exit 1");
        script(bin.resolve("mvn"), """
                for i in $(seq 1 40); do echo "[INFO] compiling (detail $i of 40)"; done
                if [[ %d != 0 ]]; then echo "[ERROR] cannot find symbol"; exit 1; fi
                for a in "$@"; do [[ "$a" == -Dmdep.outputFile=* ]] && echo /fake/lib/javafx.jar > "${a#-Dmdep.outputFile=}"; done
                exit 0""".formatted(buildExit));
        Path jdk = Files.createDirectories(tmp.resolve("jdk/bin"));
        script(jdk.resolve("javac"), "exit 0");
        script(jdk.resolve("java"), """
                if [[ "$1" == -XshowSettings:properties ]]; then echo '    java.specification.version = 25' >&2; exit 0; fi
                echo "java ran: $*\"""");
        return app;
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/bash\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Run run(Path app) throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "the script's first run is for Linux");
        ProcessBuilder pb = new ProcessBuilder("bash", app.resolve("studio").toString()).directory(tmp.toFile());
        pb.environment().put("PATH", tmp.resolve("bin") + ":/usr/bin:/bin");
        pb.environment().put("JAVA_HOME", tmp.resolve("jdk").toString());
        pb.environment().put("DISPLAY", ":99");
        pb.environment().remove("STUDIO_JAVA_OPTS");
        Process p = pb.start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the script did not stop");
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
