package dev.rwkvedge.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "studio", mixinStandardHelpOptions = true, version = "RWKV Edge Studio 0.1.0",
        description = "Compress RWKV language models for small devices.",
        subcommands = {CommandLine.HelpCommand.class})
public final class StudioCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Runs the command line; returns the exit code. */
    public static int run(String[] args) {
        return new CommandLine(new StudioCommand()).execute(args);
    }
}
