package dev.rwkvedge.cli;

import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "studio", mixinStandardHelpOptions = true, version = "RWKV Edge Studio 0.1.0",
        description = {"Compress RWKV language models for small devices.",
                "Without a command (or with `studio [MODEL]`) the desktop studio opens."},
        subcommands = {InfoCommand.class, GenerateCommand.class, LogitsCommand.class, BenchCommand.class,
                CompressCommand.class, SweepCommand.class, EvalCommand.class, AnalyzeCommand.class,
                CommandLine.HelpCommand.class})
public final class StudioCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Runs the command line; returns the exit code. Expected failures print one line, never a stack trace. */
    public static int run(String[] args) {
        CommandLine cl = new CommandLine(new StudioCommand());
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            PrintWriter err = line.getErr();
            if (ex instanceof dev.rwkvedge.task.CancelledException) {
                err.println("cancelled");
                return 130;
            }
            if (ex instanceof IOException || ex instanceof IllegalArgumentException
                    || ex instanceof IllegalStateException || ex instanceof UnsupportedOperationException) {
                err.println("error: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl.execute(args);
    }
}
