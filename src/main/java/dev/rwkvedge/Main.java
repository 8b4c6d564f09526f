package dev.rwkvedge;

import dev.rwkvedge.cli.StudioCommand;
import picocli.CommandLine;

/** One entry point: no arguments opens the studio, anything else is the command line. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int code = StudioCommand.run(args);
        if (code != Integer.MIN_VALUE) System.exit(code);
    }
}
