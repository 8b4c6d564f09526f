package dev.rwkvedge.cli;

import dev.rwkvedge.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The checks that need all options at once, run after parsing and before the command does any work: outputs are
 * distinct files, none of them is an input, each one's folder is writable, and the command's own cross-option rules
 * ({@link Checked}). Each failure is a usage error, like a malformed option. Then stale temporary files of earlier,
 * interrupted writes of the outputs are swept.
 */
final class Preflight implements IExecutionStrategy {
    /** A command with rules between its options; it throws IllegalArgumentException naming the options. */
    interface Checked {
        void check();
    }

    @Override
    public int execute(ParseResult parsed) {
        boolean help = parsed.asCommandLineList().stream().map(CommandLine::getParseResult)
                .anyMatch(p -> p.isUsageHelpRequested() || p.isVersionHelpRequested());
        if (!help) check(parsed.asCommandLineList().getLast());
        return new CommandLine.RunLast().execute(parsed);
    }

    static void check(CommandLine cmd) {
        Map<Path, String> outputs = new LinkedHashMap<>();
        Map<Path, String> inputs = new LinkedHashMap<>();
        for (ArgSpec a : cmd.getCommandSpec().args()) {
            List<Path> values = paths(a.getValue());
            if (values.isEmpty() || a.converters() == null) continue;
            boolean output = Arrays.stream(a.converters()).anyMatch(c -> c instanceof FileArgs.Output);
            boolean input = Arrays.stream(a.converters()).anyMatch(c -> c instanceof FileArgs.Input);
            for (Path p : values) {
                if (FileArgs.synthetic(p)) continue;
                Path key = canonical(p);
                if (output) {
                    String before = outputs.putIfAbsent(key, name(a));
                    if (before != null) {
                        fail(cmd, before + " and " + name(a) + " name the same file " + p + "; give each its own");
                    }
                } else if (input) {
                    inputs.putIfAbsent(key, name(a));
                }
            }
        }
        for (var o : outputs.entrySet()) {
            String in = inputs.get(o.getKey());
            if (in != null) fail(cmd, o.getValue() + " " + o.getKey() + " is also the input " + in + "; write elsewhere");
        }
        for (Path dir : outputs.keySet().stream().map(Path::getParent).distinct().toList()) {
            String problem = unwritable(dir);
            if (problem != null) fail(cmd, "cannot write in folder " + dir + ": " + problem);
        }
        if (cmd.getCommand() instanceof Checked c) {
            try {
                c.check();
            } catch (IllegalArgumentException e) {
                fail(cmd, e.getMessage());
            }
        }
        for (Path out : outputs.keySet()) AtomicFiles.sweepStale(out);
    }

    private static void fail(CommandLine cmd, String message) {
        throw new ParameterException(cmd, message);
    }

    @SuppressWarnings("unchecked")
    private static List<Path> paths(Object value) {
        if (value instanceof Path p) return List.of(p);
        List<Path> out = new ArrayList<>();
        if (value instanceof Collection<?> c) for (Object o : c) if (o instanceof Path p) out.add(p);
        return out;
    }

    /** The same file under any spelling: absolute, normalised, symbolic links resolved where the file exists. */
    private static Path canonical(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return Files.exists(abs) ? abs.toRealPath() : abs.getParent().toRealPath().resolve(abs.getFileName());
        } catch (IOException | RuntimeException e) {
            return abs;
        }
    }

    private static String name(ArgSpec a) {
        return a instanceof OptionSpec o ? o.longestName() : a.paramLabel();
    }

    /** Creates and removes a probe file: permission bits alone do not tell (root, read-only mounts, ACLs). */
    private static String unwritable(Path dir) {
        try {
            Files.delete(Files.createTempFile(dir, ".rwkv-edge-write-check.", ".tmp"));
            return null;
        } catch (FileSystemException e) {
            return AtomicFiles.problem(e);
        } catch (IOException e) {
            return Messages.abbreviate(e.getMessage());
        }
    }
}
