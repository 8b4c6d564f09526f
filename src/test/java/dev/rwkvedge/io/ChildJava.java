package dev.rwkvedge.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts a main class of this build in a fresh JVM (the same java, classpath and module flags as the suite). */
public final class ChildJava {
    private ChildJava() {}

    public static Process start(Class<?> main, String... args) throws IOException {
        return start(main, Map.of(), args);
    }

    /** {@code env} adds variables to this process's environment; an empty value removes the variable. */
    public static Process start(Class<?> main, Map<String, String> env, String... args) throws IOException {
        return start(main, env, true, args);
    }

    /**
     * @param quickStart compile with C1 only: a child that runs for a second starts faster, one that runs thousands
     *                   of cases (the fuzz campaign) runs twice as fast with the optimizing compiler
     */
    public static Process start(Class<?> main, Map<String, String> env, boolean quickStart, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx512m"));
        if (quickStart) cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        env.forEach((k, v) -> {
            if (v.isEmpty()) pb.environment().remove(k);
            else pb.environment().put(k, v);
        });
        return pb.start();
    }
}
